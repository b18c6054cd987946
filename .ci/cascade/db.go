package main

// The db tier: a small SQL server on the protocol of pg.go that logs as PostgreSQL does. Its
// roles come from the environment (ORDERS_PASSWORD=... makes role "orders"), its databases
// from DATABASES, its settings from CONFIG_FILE (a ConfigMap: default_transaction_read_only,
// max_connections), read again every few seconds as an operator reloads a changed ConfigMap.

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type dbServer struct {
	roles     map[string]string
	databases map[string]bool
	mu        sync.Mutex
	settings  map[string]string
	open      int
	backends  int32
}

func pgLog(pid int, level, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02 15:04:05.000 MST")
	fmt.Fprintf(os.Stderr, "%s [%d] %s:  %s\n", stamp, pid, level, fmt.Sprintf(format, args...))
}

func runDB() {
	server := &dbServer{roles: map[string]string{}, databases: map[string]bool{}, settings: map[string]string{}}
	for _, pair := range os.Environ() {
		name, value, _ := strings.Cut(pair, "=")
		if role := strings.TrimSuffix(name, "_PASSWORD"); role != name {
			server.roles[strings.ToLower(role)] = value
		}
	}
	for _, name := range strings.Split(env("DATABASES", "postgres"), ",") {
		server.databases[strings.TrimSpace(name)] = true
	}
	reserve(env("SHARED_BUFFERS_MB", "0"))
	port := env("PORT", "5432")
	pgLog(1, "LOG", "starting PostgreSQL 15.5 (cascade) on x86_64-pc-linux-gnu")
	server.reload(true)
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		pgLog(1, "LOG", "could not bind IPv4 address \"0.0.0.0\": %v", err)
		pgLog(1, "FATAL", "could not create any TCP/IP sockets")
		os.Exit(1)
	}
	pgLog(1, "LOG", "listening on IPv4 address \"0.0.0.0\", port %s", port)
	pgLog(1, "LOG", "database system is ready to accept connections")
	go func() {
		for range time.Tick(every()) {
			server.reload(false)
		}
	}()
	for {
		conn, err := listener.Accept()
		if err != nil {
			continue
		}
		go server.serve(conn, int(100+atomic.AddInt32(&server.backends, 1)))
	}
}

// reserve fills MB MiB once, as shared_buffers does at start (the server's memory need).
func reserve(mb string) {
	size, err := strconv.Atoi(mb)
	if err != nil || size <= 0 {
		return
	}
	sharedBuffers = make([]byte, size<<20)
	for i := range sharedBuffers {
		sharedBuffers[i] = 1
	}
	pgLog(1, "LOG", "allocated %d MB of shared buffers", size)
}

// sharedBuffers stays referenced for the life of the process.
var sharedBuffers []byte

func (s *dbServer) reload(first bool) {
	path := env("CONFIG_FILE", "")
	if path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if first {
			pgLog(1, "LOG", "could not open configuration file \"%s\": %v", path, err)
		}
		return
	}
	read := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && !strings.HasPrefix(strings.TrimSpace(key), "#") {
			read[strings.TrimSpace(key)] = strings.Trim(strings.TrimSpace(value), "'")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for key, value := range read {
		if s.settings[key] != value {
			if !first && !changed {
				pgLog(1, "LOG", "received SIGHUP, reloading configuration files")
			}
			changed = true
			if !first {
				pgLog(1, "LOG", "parameter \"%s\" changed to \"%s\"", key, value)
			}
			s.settings[key] = value
		}
	}
}

func (s *dbServer) setting(key, def string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value, ok := s.settings[key]; ok {
		return value
	}
	return def
}

func (s *dbServer) serve(conn net.Conn, pid int) {
	defer conn.Close()
	reader := bufio.NewReader(conn)
	line, err := reader.ReadString('\n')
	if err != nil {
		return
	}
	if !s.admit(conn, pid) {
		return
	}
	defer s.leave()
	if !s.login(conn, pid, strings.TrimSpace(line)) {
		return
	}
	for {
		line, err := reader.ReadString('\n')
		if err != nil {
			return
		}
		fmt.Fprintln(conn, s.exec(pid, strings.TrimPrefix(strings.TrimSpace(line), "Q ")))
	}
}

func (s *dbServer) admit(conn net.Conn, pid int) bool {
	limit, err := strconv.Atoi(s.setting("max_connections", "100"))
	if err != nil {
		limit = 100
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open >= limit {
		pgLog(pid, "FATAL", "sorry, too many clients already")
		fmt.Fprintln(conn, "E FATAL 53300 sorry, too many clients already")
		return false
	}
	s.open++
	return true
}

func (s *dbServer) leave() {
	s.mu.Lock()
	s.open--
	s.mu.Unlock()
}

func (s *dbServer) login(conn net.Conn, pid int, line string) bool {
	fields := map[string]string{}
	for _, word := range strings.Fields(strings.TrimPrefix(line, "STARTUP")) {
		key, value, _ := strings.Cut(word, "=")
		fields[key] = value
	}
	user, database := fields["user"], fields["database"]
	password, known := s.roles[user]
	switch {
	case !known || password != fields["password"]:
		pgLog(pid, "FATAL", "password authentication failed for user \"%s\"", user)
		if known {
			pgLog(pid, "DETAIL", "Password does not match for user \"%s\".", user)
		} else {
			pgLog(pid, "DETAIL", "Role \"%s\" does not exist.", user)
		}
		fmt.Fprintf(conn, "E FATAL 28P01 password authentication failed for user \"%s\"\n", user)
		return false
	case !s.databases[database]:
		pgLog(pid, "FATAL", "database \"%s\" does not exist", database)
		fmt.Fprintf(conn, "E FATAL 3D000 database \"%s\" does not exist\n", database)
		return false
	}
	fmt.Fprintln(conn, "R OK")
	return true
}

func (s *dbServer) exec(pid int, sql string) string {
	verb := strings.ToUpper(strings.SplitN(sql+" ", " ", 2)[0])
	writes := verb == "INSERT" || verb == "UPDATE" || verb == "DELETE"
	if writes && s.setting("default_transaction_read_only", "off") == "on" {
		pgLog(pid, "ERROR", "cannot execute %s in a read-only transaction", verb)
		pgLog(pid, "STATEMENT", "%s", sql)
		return fmt.Sprintf("E ERROR 25006 cannot execute %s in a read-only transaction", verb)
	}
	switch verb {
	case "INSERT":
		return "C INSERT 0 1"
	case "UPDATE", "DELETE":
		return "C " + verb + " 1"
	}
	return "C SELECT 1"
}
