package main

// The load process: the shop's users. Every few seconds it makes each request of TARGETS
// ("METHOD URL", comma-separated) to the Ingress controller's Service (EDGE, host:port, looked
// up once at start: users reach a shop by a fixed address, not through the cluster's DNS),
// with the URL's host as the Host header as a browser would send it, and logs the status and
// time of each answer, or Go's error when there is none.

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

func runLoad() {
	log.SetPrefix("load: ")
	host, port := hostPort(env("EDGE", "ingress-nginx-controller.ingress-nginx.svc.cluster.local:80"), "80")
	edge := ""
	for edge == "" {
		if addresses, err := net.LookupHost(host); err == nil && len(addresses) > 0 {
			edge = net.JoinHostPort(addresses[0], port)
		} else {
			log.Printf("looking up %s: %v", host, err)
			time.Sleep(every())
		}
	}
	client := &http.Client{Timeout: 8 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 3 * time.Second}).DialContext(ctx, network, edge)
		}, DisableKeepAlives: true}}
	targets := strings.Split(env("TARGETS", "GET http://shop.example.test/,POST http://shop.example.test/checkout"), ",")
	for {
		for _, target := range targets {
			method, address, _ := strings.Cut(strings.TrimSpace(target), " ")
			parsed, _ := url.Parse(address)
			started := time.Now()
			request, _ := http.NewRequest(method, address, strings.NewReader(`{"sku":"SKU-1042","quantity":1}`))
			request.Host = parsed.Host
			request.Header.Set("User-Agent", "market-load/1.0")
			response, err := client.Do(request)
			took := time.Since(started).Round(time.Millisecond)
			if err != nil {
				log.Printf("%s %s: %v (after %s)", method, address, err, took)
				continue
			}
			io.Copy(io.Discard, response.Body)
			response.Body.Close()
			log.Printf("%s %s: %s in %s", method, address, response.Status, took)
		}
		time.Sleep(every())
	}
}
