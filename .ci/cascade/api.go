package main

// The api tier: the orders API behind web. It calls catalog and billing over HTTP and writes to
// db, and checks all three every few seconds: its readiness (/ready) fails while one of them
// fails, as services that gate readiness on their dependencies do. It logs JSON lines (zap's
// shape) with Go's own error texts, and each call slower than SLOW_MS as a warning. Each call
// opens its own connection, so a Service's change reaches the next call.

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

type orders struct {
	client   *http.Client
	catalog  string
	billing  string
	db       DSN
	slow     time.Duration
	mu       sync.Mutex
	failures map[string]string
}

func jlog(level, msg string, fields ...interface{}) {
	line := map[string]interface{}{
		"level": level, "ts": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"logger": "api", "msg": msg,
	}
	for i := 0; i+1 < len(fields); i += 2 {
		line[fmt.Sprint(fields[i])] = fields[i+1]
	}
	data, _ := json.Marshal(line)
	fmt.Fprintln(os.Stderr, string(data))
}

func runAPI() {
	slowMs, _ := strconv.Atoi(env("SLOW_MS", "300"))
	dialer := &net.Dialer{Timeout: time.Second}
	o := &orders{
		client: &http.Client{Timeout: 4 * time.Second, Transport: &http.Transport{
			DialContext: dialer.DialContext, DisableKeepAlives: true}},
		catalog:  env("CATALOG_URL", "http://catalog:8080"),
		billing:  env("BILLING_URL", "http://billing:8080"),
		db:       DSN{env("DB_HOST", "db"), env("DB_PORT", "5432"), env("DB_USER", "orders"), os.Getenv("DB_PASSWORD"), env("DB_NAME", "orders")},
		slow:     time.Duration(slowMs) * time.Millisecond,
		failures: map[string]string{},
	}
	go func() {
		for {
			o.checkAll()
			time.Sleep(every())
		}
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/ready", o.ready)
	mux.HandleFunc("/api/orders", o.order)
	addr := ":" + env("PORT", "8080")
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		jlog("fatal", "cannot listen", "addr", addr, "error", err.Error())
		os.Exit(1)
	}
	jlog("info", "serving", "addr", addr, "catalog", o.catalog, "billing", o.billing, "db", o.db.Host+":"+o.db.Port)
	jlog("fatal", "server stopped", "error", http.Serve(listener, mux).Error())
	os.Exit(1)
}

// call GETs url; an error for a failed call or a status other than 200.
func (o *orders) call(name, url string) error {
	started := time.Now()
	response, err := o.client.Get(url)
	if took := time.Since(started); took > o.slow {
		jlog("warn", "slow call", "upstream", name, "url", url, "duration_ms", took.Milliseconds())
	}
	if err != nil {
		return err
	}
	defer response.Body.Close()
	io.Copy(io.Discard, response.Body)
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, response.Status)
	}
	return nil
}

func (o *orders) query(sql string) error {
	started := time.Now()
	_, err := Query(o.db, sql, 3*time.Second)
	if took := time.Since(started); took > o.slow {
		jlog("warn", "slow query", "upstream", "db", "host", o.db.Host, "duration_ms", took.Milliseconds())
	}
	return err
}

func (o *orders) checkAll() {
	checks := map[string]func() error{
		"catalog": func() error { return o.call("catalog", o.catalog+"/healthz") },
		"billing": func() error { return o.call("billing", o.billing+"/invoices") },
		"db":      func() error { return o.query("SELECT 1") },
	}
	for name, check := range checks {
		err := check()
		o.mu.Lock()
		_, was := o.failures[name]
		if err != nil {
			o.failures[name] = err.Error()
		} else {
			delete(o.failures, name)
		}
		o.mu.Unlock()
		if err != nil {
			jlog("error", name+" check failed", "upstream", name, "error", err.Error())
		} else if was {
			jlog("info", name+" reachable again", "upstream", name)
		}
	}
}

func (o *orders) ready(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, name := range []string{"db", "catalog", "billing"} {
		if failure, failing := o.failures[name]; failing {
			http.Error(w, "not ready: "+name+": "+failure, http.StatusServiceUnavailable)
			return
		}
	}
	fmt.Fprintln(w, "ready")
}

func (o *orders) order(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, upstream string, err error) {
		jlog("error", "order failed", "path", r.URL.Path, "status", status, "upstream", upstream, "error", err.Error())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"error": upstream + ": " + err.Error()})
	}
	if err := o.call("catalog", o.catalog+"/items"); err != nil {
		fail(http.StatusBadGateway, "catalog", err)
		return
	}
	if err := o.call("billing", o.billing+"/invoices"); err != nil {
		fail(http.StatusBadGateway, "billing", err)
		return
	}
	if err := o.query("INSERT INTO orders (item, quantity) VALUES (1, 1)"); err != nil {
		fail(http.StatusInternalServerError, "db", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"status": "created"})
}
