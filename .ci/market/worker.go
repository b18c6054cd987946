package main

// The worker process: a Python rq worker as its log reads. It takes fulfilment jobs from a
// Redis list (REDIS_URL) and marks each order fulfilled in MySQL (DATABASE_URL, PyMySQL).
// As rq does, it stops at start when Redis cannot be reached (its pod restarts until Redis is
// up); afterwards it logs each failure and tries again.

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

func rqLog(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// housekeeping is rq-scheduler's periodic job: every 10 s it expires unpaid orders (a write).
func housekeeping(dsn MySQLDSN) {
	for range time.Tick(10 * time.Second) {
		if _, err := MySQLQuery(dsn, "UPDATE orders SET status = 'EXPIRED' WHERE status = 'NEW' AND created_at < NOW() - INTERVAL 1 HOUR", 3*time.Second); err != nil {
			jobID := fmt.Sprintf("%08x-%04x", time.Now().UnixNano()&0xffffffff, time.Now().UnixNano()&0xffff)
			rqLog("[Job %s]: exception raised while executing (orders.tasks.expire_unpaid)", jobID)
			fmt.Fprintln(os.Stderr, traceback([]string{
				`  File "/usr/local/lib/python3.11/site-packages/rq/worker.py", line 1428, in perform_job`,
				`    rv = job.perform()`,
				`  File "/app/orders/tasks.py", line 41, in expire_unpaid`,
				`    session.commit()`,
			}, sqlalchemyError(err, dsn.Host, "UPDATE orders SET status=%(status)s WHERE orders.status = %(status_1)s AND orders.created_at < now() - interval %(param_1)s hour")))
		}
	}
}

func runWorker() {
	redis := parseRedisURL(env("REDIS_URL", "redis://redis:6379/0"))
	database, _ := url.Parse(env("DATABASE_URL", "mysql+pymysql://worker@mysql:3306/orders"))
	host, port := hostPort(database.Host, "3306")
	dsn := MySQLDSN{host, port, database.User.Username(), os.Getenv("DATABASE_PASSWORD"), strings.TrimPrefix(database.Path, "/")}
	queue := "rq:queue:" + env("QUEUE", "fulfilment")
	if _, err := Redis(redis, 3*time.Second, "PING"); err != nil {
		fmt.Fprintln(os.Stderr, traceback([]string{
			`  File "/usr/local/bin/rq", line 8, in <module>`,
			`    sys.exit(main())`,
			`  File "/usr/local/lib/python3.11/site-packages/rq/cli/cli.py", line 261, in worker`,
			`    worker.work(burst=burst, logging_level=logging_level)`,
			`  File "/usr/local/lib/python3.11/site-packages/redis/connection.py", line 275, in connect`,
			`    raise ConnectionError(self._error_message(e))`,
		}, redisPyError(err, redis.Host, redis.Port)))
		os.Exit(1)
	}
	id := fmt.Sprintf("%032x", time.Now().UnixNano())
	rqLog("Worker rq:worker:%s started with PID 1, version 1.15.1", id[:32])
	rqLog("Subscribing to channel rq:pubsub:%s", id[:32])
	rqLog("*** Listening on %s...", env("QUEUE", "fulfilment"))
	go housekeeping(dsn)
	failing := ""
	for {
		job, err := Redis(redis, 3*time.Second, "BRPOP", queue, "1")
		if err != nil {
			if text := redisPyError(err, redis.Host, redis.Port); text != failing || time.Now().Second() < 3 {
				rqLog("Error while reading from %s:%s : %s", redis.Host, redis.Port, text[strings.Index(text, ": ")+2:])
				failing = text
			}
			time.Sleep(every())
			continue
		}
		failing = ""
		if job == nil {
			time.Sleep(every())
			continue
		}
		jobID := fmt.Sprintf("%08x-%04x", time.Now().UnixNano()&0xffffffff, time.Now().UnixNano()&0xffff)
		rqLog("%s: orders.tasks.fulfil(%s) (%s)", env("QUEUE", "fulfilment"), *job, jobID)
		if _, err := MySQLQuery(dsn, "UPDATE orders SET status = 'FULFILLED' WHERE id = 4711", 3*time.Second); err != nil {
			rqLog("[Job %s]: exception raised while executing (orders.tasks.fulfil)", jobID)
			fmt.Fprintln(os.Stderr, traceback([]string{
				`  File "/usr/local/lib/python3.11/site-packages/rq/worker.py", line 1428, in perform_job`,
				`    rv = job.perform()`,
				`  File "/app/orders/tasks.py", line 22, in fulfil`,
				`    session.commit()`,
			}, sqlalchemyError(err, dsn.Host, "UPDATE orders SET status=%(status)s WHERE orders.id = %(id_1)s")))
			continue
		}
		rqLog("%s: Job OK (%s)", env("QUEUE", "fulfilment"), jobID)
		rqLog("Result is kept for 500 seconds")
	}
}
