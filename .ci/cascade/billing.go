package main

// The billing tier: a Spring Boot service as its log reads (logback's console pattern, HikariCP
// and the PostgreSQL JDBC driver's exceptions, Tomcat's port). Go's real failures are told in
// the words the JVM stack gives the same failure: a refused dial is PgJDBC's "Connection to
// HOST:PORT refused", a name that does not resolve java.net.UnknownHostException, the server's
// errors PSQLException with the server's message. As Spring Boot does, it stops when the
// database cannot be reached at start, and when its port is taken.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

var pgjdbcFrames = []string{
	"org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346) ~[postgresql-42.6.0.jar!/:42.6.0]",
	"org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54) ~[postgresql-42.6.0.jar!/:42.6.0]",
	"org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:263) ~[postgresql-42.6.0.jar!/:42.6.0]",
	"org.postgresql.Driver.makeConnection(Driver.java:443) ~[postgresql-42.6.0.jar!/:42.6.0]",
	"org.postgresql.Driver.connect(Driver.java:297) ~[postgresql-42.6.0.jar!/:42.6.0]",
	"com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:138) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:554) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.pool.HikariPool.<init>(HikariPool.java:98) ~[HikariCP-5.0.1.jar!/:na]",
	"com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:111) ~[HikariCP-5.0.1.jar!/:na]",
}

// springLog writes one line in Spring Boot's console pattern.
func springLog(level, thread, logger, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00")
	fmt.Fprintf(os.Stdout, "%s %5s 1 --- [%15s] %-40s : %s\n", stamp, level, thread, logger,
		fmt.Sprintf(format, args...))
}

// jdbcFailure is how the JVM stack tells err: the exception, its SQLState and its cause.
func jdbcFailure(dsn DSN, err error) (exception, state, cause string) {
	var server *ServerError
	var dns *net.DNSError
	const failed = "org.postgresql.util.PSQLException: The connection attempt failed."
	switch {
	case errors.As(err, &server):
		return "org.postgresql.util.PSQLException: " + server.Severity + ": " + server.Message, server.Code, ""
	case errors.As(err, &dns) && dns.IsNotFound:
		return failed, "08001", "java.net.UnknownHostException: " + dsn.Host
	case errors.As(err, &dns):
		return failed, "08001", "java.net.UnknownHostException: " + dsn.Host + ": Temporary failure in name resolution"
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("org.postgresql.util.PSQLException: Connection to %s:%s refused. Check that the hostname "+
				"and port are correct and that the postmaster is accepting TCP/IP connections.", dsn.Host, dsn.Port),
			"08001", "java.net.ConnectException: Connection refused"
	case errors.Is(err, os.ErrDeadlineExceeded) || strings.Contains(err.Error(), "i/o timeout"):
		return failed, "08001", "java.net.SocketTimeoutException: Connect timed out"
	}
	return "org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.", "08006",
		"java.net.SocketException: " + err.Error()
}

func printTrace(exception, cause string) {
	fmt.Println()
	fmt.Println(exception)
	for _, frame := range pgjdbcFrames {
		fmt.Println("\tat " + frame)
	}
	if cause != "" {
		fmt.Println("Caused by: " + cause)
		fmt.Println("\tat java.base/sun.nio.ch.Net.pollConnect(Native Method) ~[na:na]")
		fmt.Println("\tat java.base/java.net.Socket.connect(Socket.java:633) ~[na:na]")
		fmt.Println("\t... 10 common frames omitted")
	}
	fmt.Println()
}

type billing struct {
	dsn    DSN
	mu     sync.Mutex
	failed string
}

func runBilling() {
	url := env("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/billing")
	hostPort, database, _ := strings.Cut(strings.TrimPrefix(url, "jdbc:postgresql://"), "/")
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		host, port = hostPort, "5432"
	}
	b := &billing{dsn: DSN{host, port, env("SPRING_DATASOURCE_USERNAME", "billing"),
		os.Getenv("SPRING_DATASOURCE_PASSWORD"), database}}
	springLog("INFO", "main", "c.e.billing.BillingApplication", "Starting BillingApplication v1.4.2 using Java 17.0.9 with PID 1 (/app/billing.jar started by root in /app)")
	springLog("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port(s): %s (http)", env("SERVER_PORT", "8080"))
	springLog("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting...")
	if _, err := Query(b.dsn, "SELECT 1", 5*time.Second); err != nil {
		exception, _, cause := jdbcFailure(b.dsn, err)
		springLog("ERROR", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Exception during pool initialization.")
		printTrace(exception, cause)
		springLog("WARN", "main", "ConfigServletWebServerApplicationContext", "Exception encountered during context initialization - cancelling refresh attempt: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'entityManagerFactory' defined in class path resource [org/springframework/boot/autoconfigure/orm/jpa/HibernateJpaConfiguration.class]: [PersistenceUnit: default] Unable to build Hibernate SessionFactory; nested exception is org.hibernate.exception.JDBCConnectionException: Unable to open JDBC Connection for DDL execution [%s]", strings.TrimPrefix(exception, "org.postgresql.util.PSQLException: "))
		springLog("INFO", "main", "o.apache.catalina.core.StandardService", "Stopping service [Tomcat]")
		springLog("ERROR", "main", "o.s.boot.SpringApplication", "Application run failed")
		os.Exit(1)
	}
	springLog("INFO", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@6d1d4d7")
	springLog("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.")
	b.serve()
}

func (b *billing) serve() {
	port := env("SERVER_PORT", "8080")
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		springLog("ERROR", "main", "o.s.b.d.LoggingFailureAnalysisReporter", "\n\n***************************\nAPPLICATION FAILED TO START\n***************************\n\nDescription:\n\nWeb server failed to start. Port %s was already in use.\n\nAction:\n\nIdentify and stop the process that's listening on port %s or configure this application to listen on another port.\n", port, port)
		os.Exit(1)
	}
	springLog("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port(s): %s (http) with context path ''", port)
	springLog("INFO", "main", "c.e.billing.BillingApplication", "Started BillingApplication in 2.413 seconds (process running for 2.9)")
	go func() {
		for range time.Tick(every()) {
			b.sendDue()
		}
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/actuator/health/liveness", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `{"status":"UP"}`)
	})
	mux.HandleFunc("/actuator/health/readiness", b.readiness)
	mux.HandleFunc("/invoices", b.invoices)
	http.Serve(listener, mux)
}

// sendDue is the scheduled job: it marks due invoices sent (a write, every few seconds).
func (b *billing) sendDue() {
	_, err := Query(b.dsn, "UPDATE invoices SET status = 'sent' WHERE status = 'due'", 5*time.Second)
	b.mu.Lock()
	b.failed = ""
	if err != nil {
		b.failed = err.Error()
	}
	b.mu.Unlock()
	if err == nil {
		return
	}
	exception, state, cause := jdbcFailure(b.dsn, err)
	springLog("WARN", "scheduling-1", "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: %s", state)
	springLog("ERROR", "scheduling-1", "o.h.engine.jdbc.spi.SqlExceptionHelper", "%s", strings.TrimPrefix(exception, "org.postgresql.util.PSQLException: "))
	if cause != "" {
		springLog("ERROR", "scheduling-1", "o.h.engine.jdbc.spi.SqlExceptionHelper", "%s", cause)
	}
}

func (b *billing) readiness(w http.ResponseWriter, r *http.Request) {
	if _, err := Query(b.dsn, "SELECT 1", 2*time.Second); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, `{"status":"OUT_OF_SERVICE"}`)
		return
	}
	fmt.Fprintln(w, `{"status":"UP"}`)
}

func (b *billing) invoices(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if _, err := Query(b.dsn, "SELECT id, status FROM invoices", 3*time.Second); err != nil {
		exception, _, _ := jdbcFailure(b.dsn, err)
		springLog("ERROR", "nio-8080-exec-1", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataAccessResourceFailureException: %s] with root cause", strings.TrimPrefix(exception, "org.postgresql.util.PSQLException: "))
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]interface{}{"timestamp": time.Now().UTC().Format(time.RFC3339),
			"status": 500, "error": "Internal Server Error", "path": r.URL.Path})
		return
	}
	fmt.Fprintln(w, `[{"id":1,"status":"sent"}]`)
}
