package main

// The inventory process: a Flask app under gunicorn, as its log reads (gunicorn's error and
// access logs, Flask's "Exception on ..." with a Python traceback, SQLAlchemy over PyMySQL).
// It reads its settings file (SETTINGS_FILE, a ConfigMap's key mounted as a file) when its
// worker boots: a missing file stops the worker and gunicorn with it. It warms its product
// cache for WARMUP_SECONDS after boot, not ready meanwhile; its readiness also asks the
// database. GET /api/products lists the catalogue (about 18 KB), POST /api/products/reserve
// writes a reservation.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type inventory struct {
	dsn   MySQLDSN
	ready atomic.Bool
	pid   int
}

// readSettings reads a flat YAML mapping ("key: value" lines, nested keys joined by ".").
func readSettings(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	settings, parent := map[string]string{}, ""
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		key, value, _ := strings.Cut(strings.TrimSpace(line), ":")
		value = strings.Trim(strings.TrimSpace(value), "\"'")
		if !strings.HasPrefix(line, " ") {
			parent = key
			if value != "" {
				settings[key] = value
			}
			continue
		}
		settings[parent+"."+key] = value
	}
	return settings, nil
}

func runInventory() {
	gunicornLog(1, "INFO", "Starting gunicorn 21.2.0")
	gunicornLog(1, "INFO", "Listening at: http://0.0.0.0:%s (1)", env("PORT", "8000"))
	gunicornLog(1, "INFO", "Using worker: gthread")
	i := &inventory{pid: 7}
	gunicornLog(i.pid, "INFO", "Booting worker with pid: %d", i.pid)
	path := env("SETTINGS_FILE", "/etc/inventory/settings.yaml")
	settings, err := readSettings(path)
	if err != nil {
		gunicornLog(i.pid, "ERROR", "Exception in worker process")
		fmt.Fprintln(os.Stderr, traceback([]string{
			`  File "/usr/local/lib/python3.11/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker`,
			`    worker.init_process()`,
			`  File "/usr/local/lib/python3.11/site-packages/gunicorn/workers/base.py", line 134, in init_process`,
			`    self.load_wsgi()`,
			`  File "/usr/local/lib/python3.11/site-packages/gunicorn/util.py", line 371, in import_app`,
			`    mod = importlib.import_module(module)`,
			`  File "/app/inventory/app.py", line 12, in <module>`,
			`    settings = load_settings(os.environ.get("SETTINGS_FILE", "/etc/inventory/settings.yaml"))`,
			`  File "/app/inventory/config.py", line 21, in load_settings`,
			`    with open(path, encoding="utf-8") as handle:`,
			`         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^`,
		}, fmt.Sprintf("FileNotFoundError: [Errno 2] No such file or directory: '%s'", path)))
		gunicornLog(i.pid, "INFO", "Worker exiting (pid: %d)", i.pid)
		gunicornLog(1, "ERROR", "Worker (pid:%d) exited with code 3", i.pid)
		gunicornLog(1, "ERROR", "Shutting down: Master")
		gunicornLog(1, "ERROR", "Reason: Worker failed to boot.")
		os.Exit(3)
	}
	database, _ := url.Parse(settings["database.url"])
	host, port := hostPort(database.Host, "3306")
	i.dsn = MySQLDSN{host, port, database.User.Username(), os.Getenv("DATABASE_PASSWORD"), strings.TrimPrefix(database.Path, "/")}
	warmup, _ := strconv.Atoi(env("WARMUP_SECONDS", settings["cache.warmup_seconds"]))
	pythonLog("INFO", "inventory.cache", "warming product cache (%d s)", warmup)
	go func() {
		time.Sleep(time.Duration(warmup) * time.Second)
		pythonLog("INFO", "inventory.cache", "product cache warm: 240 products")
		i.ready.Store(true)
	}()
	go i.releaseExpired()
	http.ListenAndServe(":"+env("PORT", "8000"), i)
}

// products is the catalogue's JSON (about 18 KB: the delay fault's shaped link makes it slow).
var products = func() string {
	var items []string
	for n := 1; n <= 240; n++ {
		items = append(items, fmt.Sprintf(`{"sku":"SKU-%04d","name":"Product %d","description":"A well-made product number %d for everyday use","price":%d.99,"stock":%d}`, 1000+n, n, n, 5+n%40, 10+n%7))
	}
	return "[" + strings.Join(items, ",") + "]"
}()

const werkzeug404 = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
const werkzeug500 = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n"

func (i *inventory) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, body := 200, ""
	switch {
	case r.URL.Path == "/healthz":
		body = `{"status": "ok"}`
	case r.URL.Path == "/healthz/ready":
		status, body = i.readiness()
	case r.URL.Path == "/api/products" && r.Method == "GET":
		status, body = i.query(r, "SELECT sku, name, price, stock FROM products", "")
		if status == 200 {
			body = products
		}
	case r.URL.Path == "/api/products/reserve" && r.Method == "POST":
		status, body = i.query(r, "UPDATE stock SET reserved = reserved + 1 WHERE sku = 'SKU-1042'",
			"UPDATE stock SET reserved=(stock.reserved + %(reserved_1)s) WHERE stock.sku = %(sku_1)s")
		if status == 200 {
			body = `{"sku": "SKU-1042", "reserved": 1}`
		}
	default:
		status, body = 404, werkzeug404
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
	client, _, _ := net.SplitHostPort(r.RemoteAddr)
	stamp := time.Now().UTC().Format("02/Jan/2006:15:04:05 +0000")
	fmt.Fprintf(os.Stderr, "%s - - [%s] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\"\n", client, stamp, r.Method, r.URL.RequestURI(), status, len(body), r.UserAgent())
}

// releaseExpired is the app's background job (an APScheduler interval job): every 10 s it
// releases reservations older than 15 minutes, a write.
func (i *inventory) releaseExpired() {
	for range time.Tick(10 * time.Second) {
		_, err := MySQLQuery(i.dsn, "UPDATE stock SET reserved = 0 WHERE reserved_at < NOW() - INTERVAL 15 MINUTE", 3*time.Second)
		if err == nil {
			continue
		}
		stamp := time.Now().UTC().Format("2006-01-02 15:04:05,000")
		fmt.Fprintf(os.Stderr, "%s ERROR [apscheduler.executors.default] Job \"release_expired_reservations (trigger: interval[0:00:10], next run at: %s UTC)\" raised an exception\n",
			stamp, time.Now().UTC().Add(10*time.Second).Format("2006-01-02 15:04:05"))
		fmt.Fprintln(os.Stderr, traceback(append([]string{
			`  File "/usr/local/lib/python3.11/site-packages/apscheduler/executors/base.py", line 125, in run_job`,
			`    retval = job.func(*job.args, **job.kwargs)`,
			`  File "/app/inventory/jobs.py", line 19, in release_expired_reservations`,
			`    session.execute(release)`,
		}, pymysqlFrames(err)[4:]...), sqlalchemyError(err, i.dsn.Host, "UPDATE stock SET reserved=%(reserved)s WHERE stock.reserved_at < now() - interval %(param_1)s minute")))
	}
}

func (i *inventory) readiness() (int, string) {
	if !i.ready.Load() {
		return 503, `{"status": "unavailable", "reason": "warming product cache"}`
	}
	if _, err := MySQLQuery(i.dsn, "SELECT 1", 2*time.Second); err != nil {
		return 503, fmt.Sprintf(`{"status": "unavailable", "reason": %q}`, "database: "+pymysqlError(err, i.dsn.Host))
	}
	return 200, `{"status": "ok"}`
}

// query runs a statement; on failure Flask's log of the exception and its 500 page.
func (i *inventory) query(r *http.Request, sql, shown string) (int, string) {
	if _, err := MySQLQuery(i.dsn, sql, 3*time.Second); err != nil {
		stamp := time.Now().UTC().Format("2006-01-02 15:04:05,000")
		fmt.Fprintf(os.Stderr, "[%s] ERROR in app: Exception on %s [%s]\n", stamp, r.URL.Path, r.Method)
		fmt.Fprintln(os.Stderr, traceback(pymysqlFrames(err), sqlalchemyError(err, i.dsn.Host, shown)))
		return 500, werkzeug500
	}
	return 200, ""
}
