package main

// The chronic noise around the app: a logging agent whose output never answers (Fluent Bit's
// log: its Elasticsearch host does not resolve, so every chunk fails to flush and is retried),
// and the nightly backup job, whose upload to object storage fails (requests' and urllib3's
// words for a host that does not resolve).

import (
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

func fluentLog(level, format string, args ...interface{}) {
	fmt.Printf("[%s] [%5s] %s\n", time.Now().UTC().Format("2006/01/02 15:04:05"), level, fmt.Sprintf(format, args...))
}

func runShipper() {
	fmt.Print("Fluent Bit v2.2.0\n* Copyright (C) 2015-2023 The Fluent Bit Authors\n* Fluent Bit is a CNCF sub-project under the umbrella of Fluentd\n* https://fluentbit.io\n\n")
	fluentLog("info", "[fluent bit] version=2.2.0, commit=a2ea8f7a25, pid=1")
	fluentLog("info", "[storage] ver=1.5.1, type=memory, sync=normal, checksum=off, max_chunks_up=128")
	fluentLog("info", "[cmetrics] version=0.6.4")
	fluentLog("info", "[input:tail:tail.0] initializing")
	fluentLog("info", "[input:tail:tail.0] storage_strategy='memory' (memory only)")
	fluentLog("info", "[output:es:es.0] worker #0 started")
	fluentLog("info", "[http_server] listen iface=0.0.0.0 tcp_port=2020")
	fluentLog("info", "[sp] stream processor started")
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/health", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	go http.ListenAndServe(":2020", mux)
	host, port := env("ES_HOST", "elasticsearch.logging.svc.cluster.local"), env("ES_PORT", "9200")
	for task := 0; ; task = (task + 1) % 8 {
		time.Sleep(5 * time.Second)
		chunk := fmt.Sprintf("1-%d.%09d.flb", time.Now().Unix(), rand.Intn(1e9))
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), 3*time.Second)
		if err == nil {
			conn.Close()
			continue
		}
		if classify(err) == noSuchHost || classify(err) == dnsDown {
			fluentLog("error", "[net] getaddrinfo(host='%s', err=4): Domain name not found", host)
		} else {
			fluentLog("error", "[net] TCP connection failed: %s:%s (Connection refused)", host, port)
		}
		fluentLog("error", "[output:es:es.0] no upstream connections available to %s:%s", host, port)
		fluentLog(" warn", "[engine] failed to flush chunk '%s', retry in %d seconds: task_id=%d, input=tail.0 > output=es.0 (out_id=0)", chunk, 6+rand.Intn(10), task)
		if task == 7 {
			fluentLog("error", "[engine] chunk '%s' cannot be retried: task_id=%d, input=tail.0 > output=es.0", chunk, task)
		}
	}
}

func runBackup() {
	target := env("BACKUP_URL", "http://minio.backup.svc.cluster.local:9000/market-backups")
	pythonLog("INFO", "backup", "dumping databases orders, inventory")
	pythonLog("INFO", "backup", "wrote /tmp/market-%s.sql.gz (1843 kB)", time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02"))
	parsed, _ := url.Parse(target)
	host, port := hostPort(parsed.Host, "80")
	client := &http.Client{Timeout: 5 * time.Second}
	_, err := client.Get(target)
	if err == nil {
		pythonLog("INFO", "backup", "uploaded")
		return
	}
	reason := fmt.Sprintf("NameResolutionError(\"<urllib3.connection.HTTPConnection object at %s>: Failed to resolve '%s' ([Errno -2] Name or service not known)\")", pointer(), host)
	if classify(err) == refused {
		reason = fmt.Sprintf("NewConnectionError('<urllib3.connection.HTTPConnection object at %s>: Failed to establish a new connection: [Errno 111] Connection refused')", pointer())
	}
	fmt.Fprintln(os.Stderr, traceback([]string{
		`  File "/app/backup.py", line 57, in <module>`,
		`    upload(dump, f"{TARGET}/{day}/market.sql.gz")`,
		`  File "/app/backup.py", line 31, in upload`,
		`    response = requests.put(url, data=handle, timeout=30)`,
		`  File "/usr/local/lib/python3.11/site-packages/requests/adapters.py", line 519, in send`,
		`    raise ConnectionError(e, request=request)`,
	}, fmt.Sprintf("requests.exceptions.ConnectionError: HTTPConnectionPool(host='%s', port=%s): Max retries exceeded with url: /market-backups/%s/market.sql.gz (Caused by %s)",
		host, port, time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02"), reason)))
	os.Exit(1)
}
