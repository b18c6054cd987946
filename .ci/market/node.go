package main

// The Node.js processes. storefront: the shop's web front (Express, pino's JSON log, sessions
// and carts in Redis through ioredis, the gateway through fetch()); it reads its settings from
// the environment an envFrom ConfigMap gives and stops at start when one it requires is
// missing. payments: Express with morgan's access log and ioredis (charges are idempotency
// keys in Redis); it validates its currency with Intl.NumberFormat at start (V8's RangeError
// for a bad code), builds its fraud-rules cache on a cold start (slowly: the first start of a
// pod is killed by its liveness probe, the next finds the cache in its emptyDir), and stops
// when its port is taken (EADDRINUSE).

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// --- storefront ----------------------------------------------------------------------

type storefront struct {
	gateway string
	redis   RedisURL
	client  *http.Client
}

func runStorefront() {
	for _, name := range []string{"GATEWAY_URL", "SESSION_REDIS_URL", "PORT"} {
		if os.Getenv(name) == "" {
			nodeCrash("/app/src/config.js:9\n    throw new Error(`Missing required environment variable ${name}`);",
				"    ^",
				fmt.Sprintf("Error: Missing required environment variable %s\n    at required (/app/src/config.js:9:11)\n    at Object.<anonymous> (/app/src/config.js:14:16)\n"+
					"    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n    at Module._extensions..js (node:internal/modules/cjs/loader:1435:10)\n"+
					"    at Module.load (node:internal/modules/cjs/loader:1207:32)\n    at Module._load (node:internal/modules/cjs/loader:1023:12)\n"+
					"    at Module.require (node:internal/modules/cjs/loader:1235:19)\n    at require (node:internal/modules/helpers:176:18)\n"+
					"    at Object.<anonymous> (/app/src/server.js:4:16)", name))
		}
	}
	s := &storefront{gateway: strings.TrimRight(os.Getenv("GATEWAY_URL"), "/"), redis: parseRedisURL(os.Getenv("SESSION_REDIS_URL")),
		client: &http.Client{Timeout: 6 * time.Second, Transport: &http.Transport{
			DialContext: (&net.Dialer{Timeout: 3 * time.Second}).DialContext, DisableKeepAlives: true}}}
	pino(30, "storefront listening on :"+os.Getenv("PORT"), map[string]interface{}{"gateway": s.gateway})
	http.ListenAndServe(":"+os.Getenv("PORT"), s)
}

func (s *storefront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	status, body := 200, ""
	switch {
	case r.URL.Path == "/healthz":
		status, body = 200, "ok"
	case r.URL.Path == "/" && r.Method == "GET":
		status, body = s.home(r)
	case r.URL.Path == "/checkout" && r.Method == "POST":
		status, body = s.checkout(r)
	default:
		status, body = 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot "+r.Method+" "+r.URL.Path+"</pre>\n</body>\n</html>\n"
	}
	w.Header().Set("X-Powered-By", "Express")
	w.WriteHeader(status)
	io.WriteString(w, body)
	if r.URL.Path != "/healthz" {
		pino(30, "request completed", map[string]interface{}{
			"req": map[string]interface{}{"method": r.Method, "url": r.URL.RequestURI(), "remoteAddress": strings.Split(r.RemoteAddr, ":")[0]},
			"res": map[string]interface{}{"statusCode": status}, "responseTime": time.Since(started).Milliseconds()})
	}
}

// session reads the visitor's cart from Redis; the error ioredis gives.
func (s *storefront) session() error {
	_, err := Redis(s.redis, 3*time.Second, "GET", "sess:cart:visitor")
	return err
}

func (s *storefront) redisFailure(err error, what string) {
	message, code, frame := nodeError(err, s.redis.Host, s.redis.Port)
	pino(50, what, map[string]interface{}{"err": map[string]interface{}{"type": "Error", "message": message,
		"stack": "Error: " + message + "\n" + frame, "code": code}})
}

// ask calls the gateway; the pino error object and status of the failure, or nil.
func (s *storefront) ask(method, path, caller string) (int, map[string]interface{}) {
	request, _ := http.NewRequest(method, s.gateway+path, strings.NewReader(`{"sku":"SKU-1042","quantity":1}`))
	request.Header.Set("content-type", "application/json")
	request.Header.Set("user-agent", "node")
	response, err := s.client.Do(request)
	if err != nil {
		host, port := hostPort(strings.TrimPrefix(s.gateway, "http://"), "80")
		if classify(err) == timedOut && !strings.Contains(err.Error(), "dial") {
			return 504, map[string]interface{}{"type": "DOMException", "message": "The operation was aborted due to timeout",
				"stack": "TimeoutError: The operation was aborted due to timeout\n    at node:internal/deps/undici/undici:12344:11\n    at async " + caller, "code": 23, "name": "TimeoutError"}
		}
		return 502, pinoErr(err, host, port, caller)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body) // the whole answer: a page renders from all of it
	if len(body) > 300 {
		body = body[:300]
	}
	if response.StatusCode >= 400 {
		message := fmt.Sprintf("gateway answered %d %s for %s %s", response.StatusCode, http.StatusText(response.StatusCode), method, path)
		return 502, map[string]interface{}{"type": "Error", "message": message, "stack": "Error: " + message + "\n    at " + caller,
			"status": response.StatusCode, "body": strings.TrimSpace(string(body))}
	}
	return 0, nil
}

const expressErrorPage = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>%s</pre>\n</body>\n</html>\n"

func (s *storefront) home(r *http.Request) (int, string) {
	if err := s.session(); err != nil {
		s.redisFailure(err, "session store unavailable, serving without a session")
	}
	if status, failure := s.ask("GET", "/api/products?limit=240", "loadProducts (/app/src/gateway.js:18:20)"); failure != nil {
		pino(50, "GET / failed", map[string]interface{}{"err": failure})
		return status, fmt.Sprintf(expressErrorPage, http.StatusText(status))
	}
	return 200, "<!doctype html><html><head><title>Market</title></head><body><h1>Market</h1><ul id=\"products\"></ul></body></html>"
}

func (s *storefront) checkout(r *http.Request) (int, string) {
	if err := s.session(); err != nil {
		s.redisFailure(err, "POST /checkout failed: cannot read the cart")
		return 500, fmt.Sprintf(expressErrorPage, "Internal Server Error")
	}
	if status, failure := s.ask("POST", "/api/orders", "placeOrder (/app/src/gateway.js:31:20)"); failure != nil {
		pino(50, "POST /checkout failed", map[string]interface{}{"err": failure})
		return status, fmt.Sprintf(expressErrorPage, http.StatusText(status))
	}
	return 201, `{"order":"created"}`
}

// --- payments ------------------------------------------------------------------------

type payments struct {
	redis  RedisURL
	mu     sync.Mutex
	logged time.Time
}

func runPayments() {
	fmt.Print("\n> payments@1.8.2 start\n> node server.js\n\n")
	currency := env("CURRENCY", "EUR")
	if !regexp.MustCompile(`^[A-Za-z]{3}$`).MatchString(currency) {
		nodeCrash("/app/server.js:14\nconst money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: process.env.CURRENCY });",
			"              ^",
			fmt.Sprintf("RangeError: Invalid currency code : %s\n    at new NumberFormat (<anonymous>)\n    at Object.<anonymous> (/app/server.js:14:15)\n"+
				"    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n    at Module._extensions..js (node:internal/modules/cjs/loader:1435:10)\n"+
				"    at Module.load (node:internal/modules/cjs/loader:1207:32)\n    at Module._load (node:internal/modules/cjs/loader:1023:12)\n"+
				"    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:135:12)\n    at node:internal/main/run_main_module:28:49", currency))
	}
	cache := env("RULES_CACHE", "/var/cache/payments/rules.bin")
	if _, err := os.Stat(cache); err != nil {
		fmt.Println("fraud rules cache is cold: compiling 18244 rules")
		os.WriteFile(cache, []byte("compiling"), 0o644)
		time.Sleep(40 * time.Second) // longer than the liveness probe allows: killed here once
		fmt.Println("fraud rules compiled")
	} else {
		fmt.Println("fraud rules loaded from cache (18244 rules)")
	}
	p := &payments{redis: parseRedisURL(env("REDIS_URL", "redis://redis:6379/1"))}
	port := env("PORT", "3000")
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		fmt.Fprintf(os.Stderr, "node:events:496\n      throw er; // Unhandled 'error' event\n      ^\n\nError: listen EADDRINUSE: address already in use :::%s\n"+
			"    at Server.setupListenHandle [as _listen2] (node:net:1872:16)\n    at listenInCluster (node:net:1920:12)\n"+
			"    at Server.listen (node:net:2008:7)\n    at Function.listen (/app/node_modules/express/lib/application.js:635:24)\n"+
			"    at Object.<anonymous> (/app/server.js:58:5)\n    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n"+
			"Emitted 'error' event on Server instance at:\n    at emitErrorNT (node:net:1899:8)\n"+
			"    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {\n"+
			"  code: 'EADDRINUSE',\n  errno: -98,\n  syscall: 'listen',\n  address: '::',\n  port: %s\n}\n\nNode.js v20.11.0\n", port, port)
		os.Exit(1)
	}
	fmt.Printf("payments listening on port %s (currency %s)\n", port, strings.ToUpper(currency))
	go p.keepAlive()
	http.Serve(listener, p)
}

// keepAlive is ioredis's connection: while Redis cannot be reached it reconnects, and each
// failed attempt is an unhandled error event (no listener was attached to the client).
func (p *payments) keepAlive() {
	for range time.Tick(every()) {
		if _, err := Redis(p.redis, 2*time.Second, "PING"); err != nil {
			p.unhandled(err)
		}
	}
}

func (p *payments) unhandled(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.logged) < 4*time.Second {
		return
	}
	p.logged = time.Now()
	message, _, frame := nodeError(err, p.redis.Host, p.redis.Port)
	fmt.Fprintf(os.Stderr, "[ioredis] Unhandled error event: Error: %s\n%s\n", message, frame)
}

func (p *payments) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	client, _, _ := net.SplitHostPort(r.RemoteAddr)
	status, body := 200, "ok"
	switch {
	case r.URL.Path == "/healthz":
	case r.URL.Path == "/charges" && r.Method == "POST":
		key := fmt.Sprintf("charge:%d", time.Now().UnixNano())
		if _, err := Redis(p.redis, 2*time.Second, "SET", key, "succeeded"); err != nil {
			p.unhandled(err)
			fmt.Fprintln(os.Stderr, "charge failed: MaxRetriesPerRequestError: Reached the max retries per request limit (which is 20). Refer to \"maxRetriesPerRequest\" option for details.\n"+
				"    at Socket.<anonymous> (/app/node_modules/ioredis/built/redis/event_handler.js:182:37)\n    at Object.onceWrapper (node:events:632:26)\n"+
				"    at Socket.emit (node:events:517:28)\n    at TCP.<anonymous> (node:net:350:12)")
			status, body = 503, `{"error":"payment store unavailable"}`
		} else {
			status, body = 201, fmt.Sprintf(`{"id":"ch_%x","status":"succeeded"}`, time.Now().UnixNano()&0xffffffffff)
		}
	default:
		status, body = 404, fmt.Sprintf(expressErrorPage, "Cannot "+r.Method+" "+r.URL.Path)
	}
	w.Header().Set("X-Powered-By", "Express")
	w.WriteHeader(status)
	io.WriteString(w, body)
	if r.URL.Path != "/healthz" {
		morgan(client, r.Method, r.URL.Path, status, len(body), r.UserAgent())
	}
}
