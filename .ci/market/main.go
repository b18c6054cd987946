// Command market is every process of the real node's second app family (tests/market/app.py):
// one static binary, the process named by its first argument, configured as a user configures
// those apps (environment, mounted config files, Secrets). Each logs in the words of the stack
// it stands for, so its failures read as those stacks' own:
//
//	ingress-nginx-controller  an Ingress controller (ingress-nginx's klog lines, nginx logs)
//	gateway                   a Gateway API data plane (Envoy's access log and responses)
//	storefront, payments      Node.js services (Express, pino/morgan, ioredis, Node's errors)
//	orders                    a Spring Boot service (Hikari, MySQL Connector/J, Lettuce)
//	inventory, worker         Python services (gunicorn, Flask, SQLAlchemy/PyMySQL, redis-py, rq)
//	mysql, redis              MySQL- and Redis-speaking servers (their wire protocols, their logs)
//	log-shipper               a logging agent (Fluent Bit's log) whose output is never there
//	backup                    a nightly backup job whose upload fails
//	load                      the users
//
// Standard library only, so it builds offline (.ci/kube-node.sh caches the binary).
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: market PROCESS")
		os.Exit(2)
	}
	processes := map[string]func(){
		"ingress-nginx-controller": runEdge, "gateway": runGateway,
		"storefront": runStorefront, "payments": runPayments, "orders": runOrders,
		"inventory": runInventory, "worker": runWorker, "mysql": runMySQL, "redis": runRedis,
		"log-shipper": runShipper, "backup": runBackup, "load": runLoad,
	}
	run, ok := processes[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "market: unknown process %q\n", os.Args[1])
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

// every is the period a process does its periodic work at (CHECK_EVERY seconds, default 2).
func every() time.Duration {
	seconds, err := strconv.ParseFloat(env("CHECK_EVERY", "2"), 64)
	if err != nil || seconds <= 0 {
		seconds = 2
	}
	return time.Duration(seconds * float64(time.Second))
}

// failure is what a dial or a request met, in the terms each stack words differently.
type failure int

const (
	refused     failure = iota // ECONNREFUSED
	timedOut                   // the connect or the answer did not come in time
	noSuchHost                 // the name does not resolve (NXDOMAIN)
	dnsDown                    // the resolver did not answer (EAI_AGAIN)
	reset                      // the connection broke
	unreachable                // no route to the host (EHOSTUNREACH)
	other
)

func classify(err error) failure {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return noSuchHost
	case errors.As(err, &dns):
		return dnsDown
	case errors.Is(err, syscall.ECONNREFUSED):
		return refused
	case errors.Is(err, os.ErrDeadlineExceeded) || strings.Contains(err.Error(), "i/o timeout") ||
		strings.Contains(err.Error(), "Timeout exceeded") || strings.Contains(err.Error(), "deadline exceeded"):
		return timedOut
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return reset
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return unreachable
	}
	return other
}

// dialed is the address a failed dial was going to ("10.96.0.12:6379"), or host:port.
func dialed(err error, host, port string) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		return op.Addr.String()
	}
	return net.JoinHostPort(host, port)
}

// hostPort splits "host:port" with a default port.
func hostPort(address, port string) (string, string) {
	if host, p, err := net.SplitHostPort(address); err == nil {
		return host, p
	}
	return address, port
}

// dial opens a TCP connection within timeout.
func dial(host, port string, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("tcp", net.JoinHostPort(host, port), timeout)
}

// peerIP is the remote IP of a connection (what a server names a client by).
func peerIP(conn net.Conn) string {
	host, _, _ := net.SplitHostPort(conn.RemoteAddr().String())
	return host
}
