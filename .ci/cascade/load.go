package main

// The load tier: the app's users. It asks web for each of TARGETS every few seconds and logs
// the status and time of each answer, or Go's error when there is none.

import (
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"
)

func runLoad() {
	log.SetPrefix("load: ")
	client := &http.Client{Timeout: 8 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{Timeout: 3 * time.Second}).DialContext, DisableKeepAlives: true}}
	targets := strings.Split(env("TARGETS", "http://web/api/orders,http://web/catalog/items?limit=5"), ",")
	for {
		for _, url := range targets {
			started := time.Now()
			request, _ := http.NewRequest("GET", url, nil)
			request.Header.Set("User-Agent", "cascade-load/1.0")
			response, err := client.Do(request)
			took := time.Since(started).Round(time.Millisecond)
			if err != nil {
				log.Printf("GET %s: %v (after %s)", url, err, took)
				continue
			}
			io.Copy(io.Discard, response.Body)
			response.Body.Close()
			log.Printf("GET %s: %s in %s", url, response.Status, took)
		}
		time.Sleep(every())
	}
}
