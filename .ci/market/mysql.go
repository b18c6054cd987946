package main

// The mysql process: a MySQL-speaking server (mysqlwire.go) that logs as mysqld 8.0 does.
// Its accounts come from the environment (MYSQL_ROOT_PASSWORD, and APP_USERS="name:ENVVAR,..."
// naming the variable that holds each user's password, as an init script reads a Secret), its
// databases from MYSQL_DATABASES, and its settings (read_only, max_connections) from the
// option file MYSQL_CONFIG (a ConfigMap), read once at start as mysqld reads its option files.
// Like mysqld at its default log verbosity, it does not log a refused login or a refused write:
// only the client hears of those.

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type mysqlServer struct {
	users     map[string]string
	databases map[string]bool
	readOnly  bool
	limit     int
	mu        sync.Mutex
	open      int
	ids       uint32
}

func mysqldLog(thread int, level, code, subsystem, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	fmt.Fprintf(os.Stderr, "%s %d [%s] [%s] [%s] %s\n", stamp, thread, level, code, subsystem, fmt.Sprintf(format, args...))
}

func runMySQL() {
	fmt.Fprintf(os.Stderr, "%s+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.36-1.el8 started.\n",
		time.Now().UTC().Format("2006-01-02 15:04:05"))
	root, ok := os.LookupEnv("MYSQL_ROOT_PASSWORD")
	if !ok {
		fmt.Fprintf(os.Stderr, "%s+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n"+
			"    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n"+
			"    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n", time.Now().UTC().Format("2006-01-02 15:04:05"))
		os.Exit(1)
	}
	s := &mysqlServer{users: map[string]string{"root": root}, databases: map[string]bool{"mysql": true}, limit: 151}
	for _, pair := range strings.Split(env("APP_USERS", ""), ",") {
		if name, variable, ok := strings.Cut(strings.TrimSpace(pair), ":"); ok {
			s.users[name] = os.Getenv(variable)
		}
	}
	for _, name := range strings.Split(env("MYSQL_DATABASES", ""), ",") {
		s.databases[strings.TrimSpace(name)] = true
	}
	mysqldLog(0, "System", "MY-010116", "Server", "/usr/sbin/mysqld (mysqld 8.0.36) starting as process 1")
	s.readOptions(env("MYSQL_CONFIG", "/etc/mysql/conf.d/market.cnf"))
	mysqldLog(1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started.")
	mysqldLog(1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended.")
	port := env("MYSQL_TCP_PORT", "3306")
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		mysqldLog(0, "ERROR", "MY-010262", "Server", "Can't start server: Bind on TCP/IP port: Address already in use")
		mysqldLog(0, "ERROR", "MY-010257", "Server", "Do you already have another mysqld server running on port: %s ?", port)
		mysqldLog(0, "ERROR", "MY-010119", "Server", "Aborting")
		os.Exit(1)
	}
	mysqldLog(0, "Warning", "MY-010068", "Server", "CA certificate ca.pem is self signed.")
	mysqldLog(0, "System", "MY-013602", "Server", "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.")
	mysqldLog(0, "System", "MY-011323", "Server", "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock")
	mysqldLog(0, "System", "MY-010931", "Server", "/usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: %s  MySQL Community Server - GPL.", port)
	for {
		conn, err := listener.Accept()
		if err == nil {
			go s.serve(conn, atomic.AddUint32(&s.ids, 1)+7)
		}
	}
}

// readOptions reads the [mysqld] group of an option file.
func (s *mysqlServer) readOptions(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	group := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			group = strings.Trim(line, "[]")
			continue
		}
		key, value, _ := strings.Cut(line, "=")
		key, value = strings.ReplaceAll(strings.TrimSpace(key), "-", "_"), strings.ToUpper(strings.TrimSpace(value))
		if group != "mysqld" {
			continue
		}
		switch key {
		case "read_only", "super_read_only":
			s.readOnly = s.readOnly || value == "ON" || value == "1" || value == "TRUE"
		case "max_connections":
			fmt.Sscan(value, &s.limit)
		}
	}
}

func (s *mysqlServer) serve(conn net.Conn, id uint32) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	session := &mysqlSession{p: &packets{r: bufio.NewReader(conn), w: conn}, conn: conn}
	auth, err := session.greet("8.0.36", id)
	if err != nil {
		return
	}
	if refusal := s.admit(session, auth); refusal != nil {
		session.p.write(errPacket(refusal))
		return
	}
	defer s.leave()
	session.p.write(okPacket(0))
	for {
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		session.p.seq = 0
		body, err := session.p.read()
		if err != nil || len(body) == 0 || body[0] == comQuit {
			return
		}
		var answer error
		switch body[0] {
		case comPing:
			answer = session.p.write(okPacket(0))
		case comQuery:
			answer = s.query(session, string(body[1:]))
		default:
			answer = session.p.write(errPacket(&MySQLError{1047, "08S01", "Unknown command"}))
		}
		if answer != nil {
			return
		}
	}
}

func (s *mysqlServer) admit(session *mysqlSession, auth []byte) *MySQLError {
	password, known := s.users[session.user]
	if !known || string(auth) != string(scramble(session.salt, password)) {
		using := "YES"
		if len(auth) == 0 {
			using = "NO"
		}
		return &MySQLError{1045, "28000", fmt.Sprintf("Access denied for user '%s'@'%s' (using password: %s)", session.user, peerIP(session.conn), using)}
	}
	if session.db != "" && !s.databases[session.db] {
		return &MySQLError{1049, "42000", fmt.Sprintf("Unknown database '%s'", session.db)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open >= s.limit {
		return &MySQLError{1040, "08004", "Too many connections"}
	}
	s.open++
	return nil
}

func (s *mysqlServer) leave() {
	s.mu.Lock()
	s.open--
	s.mu.Unlock()
}

func (s *mysqlServer) query(session *mysqlSession, sql string) error {
	verb := strings.ToUpper(strings.Fields(sql + " x")[0])
	switch verb {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP":
		if s.readOnly && session.user != "root" {
			return session.p.write(errPacket(&MySQLError{1290, "HY000", "The MySQL server is running with the --read-only option so it cannot execute this statement"}))
		}
		return session.p.write(okPacket(1))
	case "SELECT", "SHOW":
		if strings.Contains(strings.ToLower(sql), "@@read_only") {
			value := "0"
			if s.readOnly {
				value = "1"
			}
			return session.resultSet("@@read_only", []string{value})
		}
		return session.resultSet("1", []string{"1"})
	case "SET", "BEGIN", "COMMIT", "ROLLBACK", "USE":
		return session.p.write(okPacket(0))
	}
	return session.p.write(errPacket(&MySQLError{1064, "42000", fmt.Sprintf("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '%s' at line 1", sql)}))
}
