package main

// The redis process: a Redis-speaking server (RESP2: PING, AUTH, SELECT, GET, SET, DEL, LPUSH,
// RPOP, BRPOP, LLEN, INFO, CLIENT, QUIT) that logs as redis-server 7 does, and the RESP client
// every other process uses (its errors are the server's "-ERR ..." lines, or the dial's).

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func redisLog(role, mark, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("02 Jan 2006 15:04:05.000")
	fmt.Fprintf(os.Stdout, "1:%s %s %s %s\n", role, stamp, mark, fmt.Sprintf(format, args...))
}

type redisStore struct {
	mu      sync.Mutex
	strings map[string]string
	lists   map[string][]string
	changes int
}

func runRedis() {
	redisLog("C", "#", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
	redisLog("C", "#", "Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=1, just started")
	redisLog("C", "#", "Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf")
	port := "6379" // redis.conf's `port` (not REDIS_PORT: the kubelet sets that for a Service named redis)
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		redisLog("M", "#", "Warning: Could not create server TCP listening socket *:%s: bind: Address already in use", port)
		redisLog("M", "#", "Failed listening on port %s (tcp), aborting.", port)
		os.Exit(1)
	}
	redisLog("M", "*", "monotonic clock: POSIX clock_gettime")
	redisLog("M", "*", "Running mode=standalone, port=%s.", port)
	redisLog("M", "#", "WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.")
	redisLog("M", "*", "Server initialized")
	redisLog("M", "*", "Ready to accept connections tcp")
	store := &redisStore{strings: map[string]string{}, lists: map[string][]string{}}
	go store.save()
	for {
		conn, err := listener.Accept()
		if err == nil {
			go store.serve(conn)
		}
	}
}

// save writes the RDB snapshot as `save 60 100` does: after a minute with 100 changes or more.
func (s *redisStore) save() {
	for range time.Tick(time.Minute) {
		s.mu.Lock()
		changes := s.changes
		s.changes = 0
		s.mu.Unlock()
		if changes >= 100 {
			redisLog("M", "*", "%d changes in 60 seconds. Saving...", changes)
			redisLog("M", "*", "Background saving started by pid %d", 20+changes%80)
			redisLog("M", "*", "Background saving terminated with success")
		}
	}
}

func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if !strings.HasPrefix(line, "*") {
		return strings.Fields(line), nil // an inline command
	}
	n, _ := strconv.Atoi(line[1:])
	args := make([]string, 0, n)
	for i := 0; i < n; i++ {
		head, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, _ := strconv.Atoi(strings.TrimRight(head[1:], "\r\n"))
		data := make([]byte, size+2)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, err
		}
		args = append(args, string(data[:size]))
	}
	return args, nil
}

func bulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

func (s *redisStore) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		args, err := readCommand(r)
		if err != nil {
			return
		}
		if len(args) == 0 {
			continue
		}
		reply := s.run(strings.ToUpper(args[0]), args[1:])
		if _, err := io.WriteString(conn, reply); err != nil || strings.ToUpper(args[0]) == "QUIT" {
			return
		}
	}
}

func (s *redisStore) run(command string, args []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch command {
	case "PING":
		return "+PONG\r\n"
	case "AUTH":
		return "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"
	case "SELECT", "QUIT", "CLIENT":
		return "+OK\r\n"
	case "INFO":
		return bulk("# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n# Replication\r\nrole:master\r\n")
	case "GET":
		if value, ok := s.strings[first(args)]; ok {
			return bulk(value)
		}
		return "$-1\r\n"
	case "SET":
		if len(args) < 2 {
			return "-ERR wrong number of arguments for 'set' command\r\n"
		}
		s.strings[args[0]] = args[1]
		s.changes++
		return "+OK\r\n"
	case "DEL":
		delete(s.strings, first(args))
		s.changes++
		return ":1\r\n"
	case "LPUSH":
		if len(args) < 2 {
			return "-ERR wrong number of arguments for 'lpush' command\r\n"
		}
		s.lists[args[0]] = append(args[1:], s.lists[args[0]]...)
		s.changes++
		return fmt.Sprintf(":%d\r\n", len(s.lists[args[0]]))
	case "LLEN":
		return fmt.Sprintf(":%d\r\n", len(s.lists[first(args)]))
	case "RPOP", "BRPOP":
		list := s.lists[first(args)]
		if len(list) == 0 {
			if command == "BRPOP" {
				return "*-1\r\n"
			}
			return "$-1\r\n"
		}
		value := list[len(list)-1]
		s.lists[first(args)] = list[:len(list)-1]
		s.changes++
		if command == "BRPOP" {
			return "*2\r\n" + bulk(first(args)) + bulk(value)
		}
		return bulk(value)
	}
	return fmt.Sprintf("-ERR unknown command '%s', with args beginning with: \r\n", strings.ToLower(command))
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// --- client --------------------------------------------------------------------------

// RedisError is a "-ERR ..." reply.
type RedisError struct{ Message string }

func (e *RedisError) Error() string { return e.Message }

// RedisURL is parsed from redis://host:port/db.
type RedisURL struct{ Host, Port, DB string }

func parseRedisURL(url string) RedisURL {
	rest := strings.TrimPrefix(strings.TrimPrefix(url, "redis://"), "rediss://")
	address, db, _ := strings.Cut(rest, "/")
	host, port := hostPort(address, "6379")
	return RedisURL{host, port, db}
}

// Redis runs one command on a new connection: the reply's text (nil for a nil reply).
func Redis(url RedisURL, timeout time.Duration, args ...string) (*string, error) {
	conn, err := dial(url.Host, url.Port, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	r := bufio.NewReader(conn)
	if url.DB != "" && url.DB != "0" {
		if _, err := exchange(conn, r, "SELECT", url.DB); err != nil {
			return nil, err
		}
	}
	return exchange(conn, r, args...)
}

func exchange(conn net.Conn, r *bufio.Reader, args ...string) (*string, error) {
	request := fmt.Sprintf("*%d\r\n", len(args))
	for _, arg := range args {
		request += bulk(arg)
	}
	if _, err := io.WriteString(conn, request); err != nil {
		return nil, err
	}
	return readReply(r)
}

func readReply(r *bufio.Reader) (*string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty reply")
	}
	body := line[1:]
	switch line[0] {
	case '-':
		return nil, &RedisError{body}
	case '+', ':':
		return &body, nil
	case '$':
		size, _ := strconv.Atoi(body)
		if size < 0 {
			return nil, nil
		}
		data := make([]byte, size+2)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, err
		}
		text := string(data[:size])
		return &text, nil
	case '*':
		count, _ := strconv.Atoi(body)
		var last *string
		for i := 0; i < count; i++ {
			if last, err = readReply(r); err != nil {
				return nil, err
			}
		}
		return last, nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}
