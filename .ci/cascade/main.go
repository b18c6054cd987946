// Command cascade is every tier of the real node's cascade app (tests/cascade/app.py): one
// static binary, the tier named by its first argument, configured by environment as a user
// configures an app. Each tier logs what its dependencies do to it in its runtime's own words:
// Go's net and net/http errors for web, api, catalog and load, PostgreSQL's server log for db,
// a Spring Boot service's log (PgJDBC, Hikari, Tomcat) for billing.
//
//	cascade web|api|catalog|billing|db|load
//
// Standard library only, so it builds offline (.ci/kube-node.sh caches the binary).
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: cascade web|api|catalog|billing|db|load")
		os.Exit(2)
	}
	tiers := map[string]func(){
		"web": runWeb, "api": runAPI, "catalog": runCatalog,
		"billing": runBilling, "db": runDB, "load": runLoad,
	}
	run, ok := tiers[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "cascade: unknown tier %q\n", os.Args[1])
		os.Exit(2)
	}
	run()
}

// env is the variable's value, or def when it is unset or empty.
func env(name, def string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return def
}

// every is the period a tier checks its dependencies at (CHECK_EVERY seconds, default 2).
func every() time.Duration {
	seconds, err := strconv.ParseFloat(env("CHECK_EVERY", "2"), 64)
	if err != nil || seconds <= 0 {
		seconds = 2
	}
	return time.Duration(seconds * float64(time.Second))
}
