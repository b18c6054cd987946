package main

// How each stack words the same failure: Node.js (libuv's codes in Error messages, V8 frames,
// pino's JSON), Python (PyMySQL and SQLAlchemy, redis-py, requests/urllib3, tracebacks), the
// JVM (MySQL Connector/J, Spring, Lettuce/Netty). Each function takes the real Go error of a
// dial or a request and returns the text that stack prints for it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// --- Node.js -------------------------------------------------------------------------

// nodeError is Node's Error for a failed socket: its message, code and first frame.
func nodeError(err error, host, port string) (message, code, frame string) {
	address := dialed(err, host, port)
	connect := "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16)"
	switch classify(err) {
	case refused:
		return "connect ECONNREFUSED " + address, "ECONNREFUSED", connect
	case timedOut:
		return "connect ETIMEDOUT " + address, "ETIMEDOUT", "    at Socket._onTimeout (node:net:590:8)"
	case noSuchHost:
		return "getaddrinfo ENOTFOUND " + host, "ENOTFOUND", "    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:118:26)"
	case dnsDown:
		return "getaddrinfo EAI_AGAIN " + host, "EAI_AGAIN", "    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:118:26)"
	case reset:
		return "read ECONNRESET", "ECONNRESET", "    at TCP.onStreamRead (node:internal/stream_base_commons:217:20)"
	case unreachable:
		return "connect EHOSTUNREACH " + address, "EHOSTUNREACH", connect
	}
	return "socket hang up", "ECONNRESET", "    at Socket.socketOnEnd (node:_http_client:524:23)"
}

// pino writes one JSON line as pino does (level 30 info, 40 warn, 50 error): its own keys
// first, then the fields, then msg.
func pino(level int, msg string, fields map[string]interface{}) {
	host, _ := os.Hostname()
	line := fmt.Sprintf(`{"level":%d,"time":%d,"pid":1,"hostname":%q`, level, time.Now().UnixMilli(), host)
	keys := make([]string, 0, len(fields))
	for key := range fields {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		value, _ := json.Marshal(fields[key])
		line += fmt.Sprintf(",%q:%s", key, value)
	}
	message, _ := json.Marshal(msg)
	fmt.Println(line + `,"msg":` + string(message) + "}")
}

// pinoErr is pino's serialisation of a fetch() that failed on a socket error (undici's
// "fetch failed" TypeError, the socket's Error as its cause).
func pinoErr(err error, host, port, caller string) map[string]interface{} {
	message, code, frame := nodeError(err, host, port)
	ip, p := hostPort(dialed(err, host, port), port)
	cause := map[string]interface{}{"type": "Error", "message": message, "stack": "Error: " + message + "\n" + frame,
		"code": code, "syscall": "connect", "address": ip, "port": atoi(p)}
	if code == "ENOTFOUND" || code == "EAI_AGAIN" {
		cause = map[string]interface{}{"type": "Error", "message": message, "stack": "Error: " + message + "\n" + frame,
			"code": code, "syscall": "getaddrinfo", "hostname": host}
	}
	return map[string]interface{}{"type": "TypeError", "message": "fetch failed",
		"stack": "TypeError: fetch failed\n    at node:internal/deps/undici/undici:12344:11\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async " + caller,
		"cause": cause}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// nodeCrash prints an uncaught exception as node prints it before exiting 1.
func nodeCrash(source, caret, stack string) {
	fmt.Fprintf(os.Stderr, "%s\n%s\n\n%s\n\nNode.js v20.11.0\n", source, caret, stack)
	os.Exit(1)
}

// morgan writes Express's combined access log line.
func morgan(remote, method, path string, status, size int, agent string) {
	stamp := time.Now().UTC().Format("02/Jan/2006:15:04:05 +0000")
	fmt.Printf("::ffff:%s - - [%s] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\"\n", remote, stamp, method, path, status, size, agent)
}

// --- Python --------------------------------------------------------------------------

// pyRepr quotes a string as Python's repr does.
func pyRepr(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		return "\"" + s + "\""
	}
	return "'" + strings.ReplaceAll(s, "'", "\\'") + "'"
}

// pymysqlError is PyMySQL's OperationalError arguments for err: "(2003, \"Can't connect ...\")".
func pymysqlError(err error, host string) string {
	var server *MySQLError
	if errors.As(err, &server) {
		return fmt.Sprintf("(%d, %s)", server.Number, pyRepr(server.Message))
	}
	reason := map[failure]string{refused: "[Errno 111] Connection refused", timedOut: "timed out",
		noSuchHost: "[Errno -2] Name or service not known", dnsDown: "[Errno -3] Temporary failure in name resolution",
		reset: "[Errno 104] Connection reset by peer", unreachable: "[Errno 113] No route to host"}[classify(err)]
	if reason == "" {
		return "(2013, 'Lost connection to MySQL server during query')"
	}
	return fmt.Sprintf("(2003, \"Can't connect to MySQL server on '%s' (%s)\")", host, reason)
}

// sqlalchemyError is the last lines of SQLAlchemy's traceback for a PyMySQL error.
func sqlalchemyError(err error, host, statement string) string {
	text := "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) " + pymysqlError(err, host)
	if statement != "" {
		text += "\n[SQL: " + statement + "]"
	}
	return text + "\n(Background on this error at: https://sqlalche.me/e/20/e3q8)"
}

// pymysqlFrames are the last frames of a traceback through SQLAlchemy to PyMySQL: where the
// server's error packet is raised, or where the connection failed.
func pymysqlFrames(err error) []string {
	frames := []string{
		`  File "/usr/local/lib/python3.11/site-packages/flask/app.py", line 1463, in wsgi_app`,
		`    response = self.full_dispatch_request()`,
		`  File "/app/inventory/views.py", line 48, in handler`,
		`    db.session.execute(statement)`,
	}
	var server *MySQLError
	if errors.As(err, &server) && server.Number != 1045 && server.Number != 1049 {
		return append(frames,
			`  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/default.py", line 922, in do_execute`,
			`    cursor.execute(statement, parameters)`,
			`  File "/usr/local/lib/python3.11/site-packages/pymysql/err.py", line 150, in raise_mysql_exception`,
			`    raise errorclass(errno, errval)`)
	}
	return append(frames,
		`  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/pool/base.py", line 898, in __connect`,
		`    self.dbapi_connection = connection = pool._invoke_creator(self)`,
		`  File "/usr/local/lib/python3.11/site-packages/pymysql/connections.py", line 716, in connect`,
		`    raise exc`)
}

// redisPyError is redis-py's exception line for a failed connection or command.
func redisPyError(err error, host, port string) string {
	var server *RedisError
	if errors.As(err, &server) {
		return "redis.exceptions.ResponseError: " + server.Message
	}
	switch classify(err) {
	case refused:
		return fmt.Sprintf("redis.exceptions.ConnectionError: Error 111 connecting to %s:%s. Connection refused.", host, port)
	case noSuchHost:
		return fmt.Sprintf("redis.exceptions.ConnectionError: Error -2 connecting to %s:%s. Name or service not known.", host, port)
	case dnsDown:
		return fmt.Sprintf("redis.exceptions.ConnectionError: Error -3 connecting to %s:%s. Temporary failure in name resolution.", host, port)
	case timedOut:
		return "redis.exceptions.TimeoutError: Timeout connecting to server"
	case unreachable:
		return fmt.Sprintf("redis.exceptions.ConnectionError: Error 113 connecting to %s:%s. No route to host.", host, port)
	}
	return "redis.exceptions.ConnectionError: Connection closed by server."
}

// traceback prints a Python traceback ending in the exception text.
func traceback(frames []string, exception string) string {
	return "Traceback (most recent call last):\n" + strings.Join(frames, "\n") + "\n" + exception
}

func pythonLog(level, logger, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02 15:04:05,000")
	fmt.Fprintf(os.Stderr, "%s %s [%s] %s\n", stamp, level, logger, fmt.Sprintf(format, args...))
}

func gunicornLog(pid int, level, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02 15:04:05 +0000")
	fmt.Fprintf(os.Stderr, "[%s] [%d] [%s] %s\n", stamp, pid, level, fmt.Sprintf(format, args...))
}

func pointer() string { return fmt.Sprintf("0x7f%010x", rand.Int63n(1<<40)) }

// --- JVM -----------------------------------------------------------------------------

var connectorFrames = []string{
	"com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:174) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]",
	"com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:64) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]",
	"com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]",
	"com.mysql.cj.jdbc.ConnectionImpl.<init>(ConnectionImpl.java:438) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]",
	"com.mysql.cj.jdbc.ConnectionImpl.getInstance(ConnectionImpl.java:241) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]",
	"com.mysql.cj.jdbc.NonRegisteringDriver.connect(NonRegisteringDriver.java:189) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]",
	"com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:138) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:201) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:470) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:561) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.HikariPool.<init>(HikariPool.java:100) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:112) ~[HikariCP-5.0.1.jar!/:na]",
}

// jdbcException is how MySQL Connector/J reports err: the exception line, its cause (or "")
// and the SQLState.
func jdbcException(err error, host string) (exception, cause, state string) {
	var server *MySQLError
	if errors.As(err, &server) {
		kind := "java.sql.SQLException"
		if server.State == "42000" {
			kind = "java.sql.SQLSyntaxErrorException"
		}
		return kind + ": " + server.Message, "", server.State
	}
	link := "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n" +
		"The last packet sent successfully to the server was 0 milliseconds ago. The driver has not received any packets from the server."
	switch classify(err) {
	case refused:
		return link, "java.net.ConnectException: Connection refused", "08S01"
	case timedOut:
		return link, "java.net.SocketTimeoutException: Connect timed out", "08S01"
	case noSuchHost:
		return link, "java.net.UnknownHostException: " + host + ": Name or service not known", "08S01"
	case dnsDown:
		return link, "java.net.UnknownHostException: " + host + ": Temporary failure in name resolution", "08S01"
	case unreachable:
		return link, "java.net.NoRouteToHostException: No route to host", "08S01"
	}
	return "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n" +
			"The last packet successfully received from the server was 2 milliseconds ago. The last packet sent successfully to the server was 2 milliseconds ago.",
		"java.io.EOFException: Can not read response from server. Expected to read 4 bytes, read 0 bytes before connection was unexpectedly lost.", "08S01"
}

// javaIOCause is the JVM's exception for a failed HTTP or socket call.
func javaIOCause(err error, host string) string {
	switch classify(err) {
	case refused:
		return "java.net.ConnectException: Connection refused"
	case timedOut:
		return "java.net.SocketTimeoutException: Connect timed out"
	case noSuchHost, dnsDown:
		return "java.net.UnknownHostException: " + host
	case unreachable:
		return "java.net.NoRouteToHostException: No route to host"
	}
	return "java.net.SocketException: Connection reset"
}

func springLog(level, thread, logger, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00")
	fmt.Printf("%s %5s 1 --- [%15s] %-40s : %s\n", stamp, level, thread, logger, fmt.Sprintf(format, args...))
}

// javaTrace prints an exception, its frames, and its causes as logback prints them.
func javaTrace(exception string, frames []string, causes ...string) {
	fmt.Println(exception)
	for _, frame := range frames {
		fmt.Println("\tat " + frame)
	}
	for i, cause := range causes {
		fmt.Println("Caused by: " + cause)
		fmt.Println("\tat java.base/sun.nio.ch.Net.pollConnect(Native Method) ~[na:na]")
		fmt.Printf("\t... %d common frames omitted\n", len(frames)-2+i)
	}
}

// ipOf is the first address a name resolves to (for the wording of a resolved peer).
func ipOf(host string) string {
	addresses, err := net.LookupHost(host)
	if err != nil || len(addresses) == 0 {
		return host
	}
	return addresses[0]
}
