package main

// The orders process: a Spring Boot service as its log reads (logback's console pattern,
// HikariCP, MySQL Connector/J, Spring's RestClient, Lettuce). Its settings come from the
// application.properties file of its ConfigMap (SPRING_CONFIG_LOCATION) and its credentials
// from the environment, as Spring Boot binds them; its heap (-Xms in JAVA_TOOL_OPTIONS) is
// touched at start as the JVM commits it. As Spring Boot does with a JPA datasource, it stops
// when the database cannot be reached at start. POST /api/orders inserts the order (mysql),
// reserves its stock (inventory), charges it (payments) and queues its fulfilment (redis).

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type orders struct {
	props     map[string]string
	dsn       MySQLDSN
	inventory string
	payments  string
	redis     RedisURL
	client    *http.Client
	heap      []byte
}

// readProperties reads a .properties file, ${VAR} and ${VAR:default} filled from the environment.
func readProperties(path string) (map[string]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	props := map[string]string{}
	placeholder := regexp.MustCompile(`\$\{([A-Z_]+)(?::([^}]*))?\}`)
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, _ := strings.Cut(line, "=")
		value = placeholder.ReplaceAllStringFunc(strings.TrimSpace(value), func(m string) string {
			parts := placeholder.FindStringSubmatch(m)
			return env(parts[1], parts[2])
		})
		props[strings.TrimSpace(key)] = value
	}
	return props, nil
}

// parseJDBC reads jdbc:mysql://host:port/database?params.
func parseJDBC(url string) (host, port, database string) {
	rest := strings.TrimPrefix(url, "jdbc:mysql://")
	rest, _, _ = strings.Cut(rest, "?")
	address, database, _ := strings.Cut(rest, "/")
	host, port = hostPort(address, "3306")
	return host, port, database
}

func runOrders() {
	heapMB := 0
	if match := regexp.MustCompile(`-Xms(\d+)m`).FindStringSubmatch(os.Getenv("JAVA_TOOL_OPTIONS")); match != nil {
		fmt.Fprintf(os.Stderr, "Picked up JAVA_TOOL_OPTIONS: %s\n", os.Getenv("JAVA_TOOL_OPTIONS"))
		heapMB, _ = strconv.Atoi(match[1])
	}
	o := &orders{client: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext, DisableKeepAlives: true}}}
	o.heap = make([]byte, heapMB<<20)
	for i := 0; i < len(o.heap); i += 4096 {
		o.heap[i] = 1
	}
	fmt.Print("\n  .   ____          _            __ _ _\n /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\\n( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\\n" +
		" \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )\n  '  |____| .__|_| |_|_| |_\\__, | / / / /\n =========|_|==============|___/=/_/_/_/\n :: Spring Boot ::                (v3.2.1)\n\n")
	springLog("INFO", "main", "c.e.orders.OrdersApplication", "Starting OrdersApplication v2.3.0 using Java 17.0.9 with PID 1 (/app/orders.jar started by root in /app)")
	springLog("INFO", "main", "c.e.orders.OrdersApplication", "No active profile set, falling back to 1 default profile: \"default\"")
	location := strings.TrimPrefix(env("SPRING_CONFIG_LOCATION", "file:/config/application.properties"), "file:")
	props, err := readProperties(location)
	if err != nil {
		springLog("ERROR", "main", "o.s.boot.SpringApplication", "Application run failed")
		fmt.Printf("java.lang.IllegalStateException: Unable to load config data from '%s'\nCaused by: java.io.FileNotFoundException: %s (No such file or directory)\n", location, location)
		os.Exit(1)
	}
	o.props = props
	host, port, database := parseJDBC(props["spring.datasource.url"])
	o.dsn = MySQLDSN{host, port, env("SPRING_DATASOURCE_USERNAME", props["spring.datasource.username"]),
		env("SPRING_DATASOURCE_PASSWORD", props["spring.datasource.password"]), database}
	o.inventory, o.payments = props["inventory.base-url"], props["payments.base-url"]
	o.redis = parseRedisURL(props["spring.data.redis.url"])
	serverPort := props["server.port"]
	springLog("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port %s (http)", serverPort)
	springLog("INFO", "main", "o.apache.catalina.core.StandardService", "Starting service [Tomcat]")
	springLog("INFO", "main", "w.s.c.ServletWebServerApplicationContext", "Root WebApplicationContext: initialization completed in 1486 ms")
	springLog("INFO", "main", "o.hibernate.jpa.internal.util.LogHelper", "HHH000204: Processing PersistenceUnitInfo [name: default]")
	springLog("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting...")
	if _, err := MySQLQuery(o.dsn, "SELECT 1", 5*time.Second); err != nil {
		o.failStart(err)
	}
	springLog("INFO", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@4c9e38")
	springLog("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.")
	springLog("INFO", "main", "j.LocalContainerEntityManagerFactoryBean", "Initialized JPA EntityManagerFactory for persistence unit 'default'")
	listener, err := net.Listen("tcp", ":"+serverPort)
	if err != nil {
		springLog("ERROR", "main", "o.s.b.d.LoggingFailureAnalysisReporter", "\n\n***************************\nAPPLICATION FAILED TO START\n***************************\n\nDescription:\n\nWeb server failed to start. Port %s was already in use.\n\nAction:\n\nIdentify and stop the process that's listening on port %s or configure this application to listen on another port.\n", serverPort, serverPort)
		os.Exit(1)
	}
	springLog("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port %s (http) with context path ''", serverPort)
	springLog("INFO", "main", "c.e.orders.OrdersApplication", "Started OrdersApplication in 4.218 seconds (process running for 4.9)")
	mux := http.NewServeMux()
	mux.HandleFunc("/actuator/health/liveness", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"status":"UP"}`) })
	mux.HandleFunc("/actuator/health/readiness", o.readiness)
	mux.HandleFunc("/api/orders", o.order)
	http.Serve(listener, mux)
}

// failStart is Spring Boot stopping on a datasource it cannot open.
func (o *orders) failStart(err error) {
	exception, cause, _ := jdbcException(err, o.dsn.Host)
	springLog("ERROR", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Exception during pool initialization.")
	fmt.Println()
	if cause != "" {
		javaTrace(exception, connectorFrames, "com.mysql.cj.exceptions.CJCommunicationsException: Communications link failure\n\nThe last packet sent successfully to the server was 0 milliseconds ago. The driver has not received any packets from the server.", cause)
	} else {
		javaTrace(exception, append([]string{"com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:121) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]"}, connectorFrames[1:]...))
	}
	fmt.Println()
	springLog("WARN", "main", "o.h.e.j.e.i.JdbcEnvironmentInitiator", "HHH000342: Could not obtain connection to query metadata")
	springLog("ERROR", "main", "j.LocalContainerEntityManagerFactoryBean", "Failed to initialize JPA EntityManagerFactory: Unable to create requested service [org.hibernate.engine.jdbc.env.spi.JdbcEnvironment] due to: Unable to determine Dialect without JDBC metadata (please set 'jakarta.persistence.jdbc.url' for common cases or 'hibernate.dialect' when a custom Dialect implementation must be provided)")
	springLog("WARN", "main", "ConfigServletWebServerApplicationContext", "Exception encountered during context initialization - cancelling refresh attempt: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'entityManagerFactory' defined in class path resource [org/springframework/boot/autoconfigure/orm/jpa/HibernateJpaConfiguration.class]: Unable to create requested service [org.hibernate.engine.jdbc.env.spi.JdbcEnvironment] due to: Unable to determine Dialect without JDBC metadata")
	springLog("INFO", "main", "o.apache.catalina.core.StandardService", "Stopping service [Tomcat]")
	springLog("ERROR", "main", "o.s.boot.SpringApplication", "Application run failed")
	os.Exit(1)
}

func (o *orders) readiness(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/vnd.spring-boot.actuator.v3+json")
	if _, err := MySQLQuery(o.dsn, "SELECT 1", 2*time.Second); err != nil {
		exception, cause, _ := jdbcException(err, o.dsn.Host)
		springLog("WARN", "nio-8080-exec-2", "o.s.b.a.jdbc.DataSourceHealthIndicator", "DataSource health check failed")
		fmt.Println(strings.SplitN(exception, "\n", 2)[0])
		if cause != "" {
			fmt.Println("Caused by: " + cause)
		}
		w.WriteHeader(503)
		io.WriteString(w, `{"status":"OUT_OF_SERVICE"}`)
		return
	}
	io.WriteString(w, `{"status":"UP"}`)
}

// call POSTs to another service as Spring's RestClient does; the exception it would throw.
func (o *orders) call(url string) error {
	host := strings.Split(strings.TrimPrefix(url, "http://"), ":")[0]
	host = strings.Split(host, "/")[0]
	request, _ := http.NewRequest("POST", url, strings.NewReader(`{"sku":"SKU-1042","quantity":1}`))
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("User-Agent", "Java-http-client/17.0.9")
	response, err := o.client.Do(request)
	if err != nil {
		cause := javaIOCause(err, host)
		message := cause[strings.Index(cause, ": ")+2:]
		if classify(err) == timedOut && !strings.Contains(err.Error(), "dial") {
			message = "Read timed out"
		}
		return fmt.Errorf("org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"%s\": %s", url, message)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(response.Body, 200))
	if response.StatusCode >= 400 {
		kind := map[int]string{404: "HttpClientErrorException$NotFound", 400: "HttpClientErrorException$BadRequest",
			500: "HttpServerErrorException$InternalServerError", 502: "HttpServerErrorException$BadGateway",
			503: "HttpServerErrorException$ServiceUnavailable", 504: "HttpServerErrorException$GatewayTimeout"}[response.StatusCode]
		if kind == "" {
			kind = "UnknownHttpStatusCodeException"
		}
		text := strings.ReplaceAll(strings.TrimSpace(string(body)), "\n", "<EOL>")
		return fmt.Errorf("org.springframework.web.client.%s: %d %s: \"%s\"", kind, response.StatusCode, strings.ToUpper(http.StatusText(response.StatusCode)), text)
	}
	return nil
}

func (o *orders) order(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, err error, lines ...string) {
		springLog("ERROR", "nio-8080-exec-4", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: %s] with root cause", err.Error())
		fmt.Println()
		for _, line := range lines {
			fmt.Println(line)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]interface{}{"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000+00:00"),
			"status": status, "error": http.StatusText(status), "path": r.URL.Path})
	}
	if _, err := MySQLQuery(o.dsn, "INSERT INTO orders (sku, quantity, status) VALUES ('SKU-1042', 1, 'NEW')", 3*time.Second); err != nil {
		exception, cause, state := jdbcException(err, o.dsn.Host)
		var server *MySQLError
		number := 0
		if errors.As(err, &server) {
			number = int(server.Number)
		}
		springLog("WARN", "nio-8080-exec-4", "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: %d, SQLState: %s", number, state)
		springLog("ERROR", "nio-8080-exec-4", "o.h.engine.jdbc.spi.SqlExceptionHelper", "%s", strings.SplitN(exception[strings.Index(exception, ": ")+2:], "\n", 2)[0])
		wrapped := fmt.Errorf("org.springframework.orm.jpa.JpaSystemException: could not execute statement [%s] [insert into orders (quantity,sku,status) values (?,?,?)]", strings.SplitN(exception[strings.Index(exception, ": ")+2:], "\n", 2)[0])
		lines := []string{exception, "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]", "\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeUpdateInternal(ClientPreparedStatement.java:1098) ~[mysql-connector-j-8.2.0.jar!/:8.2.0]"}
		if cause != "" {
			lines = append(lines, "Caused by: "+cause)
		}
		fail(500, wrapped, lines...)
		return
	}
	if err := o.call(o.inventory + "/api/products/reserve"); err != nil {
		fail(500, err, err.Error(), "\tat org.springframework.web.client.DefaultRestClient.readWithMessageConverters(DefaultRestClient.java:214) ~[spring-web-6.1.2.jar!/:6.1.2]", "\tat com.example.orders.InventoryClient.reserve(InventoryClient.java:41) ~[!/:2.3.0]")
		return
	}
	if err := o.call(o.payments + "/charges"); err != nil {
		fail(500, err, err.Error(), "\tat org.springframework.web.client.DefaultRestClient.readWithMessageConverters(DefaultRestClient.java:214) ~[spring-web-6.1.2.jar!/:6.1.2]", "\tat com.example.orders.PaymentsClient.charge(PaymentsClient.java:37) ~[!/:2.3.0]")
		return
	}
	if _, err := Redis(o.redis, 2*time.Second, "LPUSH", "rq:queue:fulfilment", fmt.Sprintf(`{"order":%d}`, time.Now().UnixNano()%100000)); err != nil {
		host := o.redis.Host
		cause := fmt.Sprintf("io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: %s/%s:%s", host, ipOf(host), o.redis.Port)
		switch classify(err) {
		case timedOut:
			cause = fmt.Sprintf("io.netty.channel.ConnectTimeoutException: connection timed out after 2000 ms: %s/%s:%s", host, ipOf(host), o.redis.Port)
		case noSuchHost, dnsDown:
			cause = "java.net.UnknownHostException: " + host
		}
		fail(500, errors.New("org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis"),
			"org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis",
			fmt.Sprintf("Caused by: io.lettuce.core.RedisConnectionException: Unable to connect to %s/<unresolved>:%s", host, o.redis.Port),
			"Caused by: "+cause)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(201)
	io.WriteString(w, `{"id":4711,"status":"NEW"}`)
}
