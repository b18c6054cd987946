package main

// The web tier: the app's gateway, routing by path to Services as an ingress controller does.
// It reads its namespace's Ingresses (and checks each backend Service exists) through the API
// server with its ServiceAccount's token every few seconds; a request is proxied to the
// Service's name and port, so a broken upstream shows in Go's own proxy errors, and each
// request is written to an access log with its status and time.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

const serviceAccount = "/var/run/secrets/kubernetes.io/serviceaccount"

// upstreamTransport opens a connection per request (a Service's change reaches the next one)
// and gives up on an upstream as proxies do: 2 s to connect, 5 s to answer.
var upstreamTransport = &http.Transport{
	DialContext:           (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
	ResponseHeaderTimeout: 5 * time.Second,
	DisableKeepAlives:     true,
}

type route struct {
	prefix, service string
	port            int
	missing         bool
	proxy           *httputil.ReverseProxy
}

type gateway struct {
	mu     sync.RWMutex
	routes []route
	shown  string
	api    *http.Client
	base   string
	token  string
	ns     string
}

func runWeb() {
	log.SetFlags(log.LstdFlags)
	ns, _ := os.ReadFile(serviceAccount + "/namespace")
	token, _ := os.ReadFile(serviceAccount + "/token")
	pool := x509.NewCertPool()
	if ca, err := os.ReadFile(serviceAccount + "/ca.crt"); err == nil {
		pool.AppendCertsFromPEM(ca)
	}
	g := &gateway{
		api: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool}}},
		base:  "https://" + net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")),
		token: strings.TrimSpace(string(token)),
		ns:    strings.TrimSpace(string(ns)),
	}
	g.sync()
	go func() {
		for range time.Tick(every()) {
			g.sync()
		}
	}()
	addr := ":" + env("PORT", "8080")
	log.Printf("web: serving on %s", addr)
	log.Fatal(http.ListenAndServe(addr, g))
}

func (g *gateway) get(path string, into interface{}) (int, error) {
	request, _ := http.NewRequest("GET", g.base+path, nil)
	request.Header.Set("Authorization", "Bearer "+g.token)
	response, err := g.api.Do(request)
	if err != nil {
		return 0, err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return response.StatusCode, nil
	}
	return response.StatusCode, json.NewDecoder(response.Body).Decode(into)
}

type ingressList struct {
	Items []struct {
		Spec struct {
			Rules []struct {
				HTTP struct {
					Paths []struct {
						Path    string `json:"path"`
						Backend struct {
							Service struct {
								Name string `json:"name"`
								Port struct {
									Number int `json:"number"`
								} `json:"port"`
							} `json:"service"`
						} `json:"backend"`
					} `json:"paths"`
				} `json:"http"`
			} `json:"rules"`
		} `json:"spec"`
	} `json:"items"`
}

// sync reads the Ingresses and their backend Services; the routes change only on a full read.
func (g *gateway) sync() {
	var list ingressList
	status, err := g.get("/apis/networking.k8s.io/v1/namespaces/"+g.ns+"/ingresses", &list)
	if err != nil || status != http.StatusOK {
		log.Printf("web: listing ingresses: status %d: %v", status, err)
		return
	}
	var routes []route
	for _, ingress := range list.Items {
		for _, rule := range ingress.Spec.Rules {
			for _, path := range rule.HTTP.Paths {
				service := path.Backend.Service
				r := route{prefix: path.Path, service: service.Name, port: service.Port.Number}
				var found map[string]interface{}
				status, err := g.get("/api/v1/namespaces/"+g.ns+"/services/"+service.Name, &found)
				if err != nil {
					log.Printf("web: reading service %q: %v", service.Name, err)
					return
				}
				r.missing = status == http.StatusNotFound
				target := &url.URL{Scheme: "http", Host: fmt.Sprintf("%s:%d", service.Name, service.Port.Number)}
				r.proxy = httputil.NewSingleHostReverseProxy(target)
				r.proxy.Transport = upstreamTransport
				routes = append(routes, r)
			}
		}
	}
	sort.SliceStable(routes, func(i, j int) bool { return len(routes[i].prefix) > len(routes[j].prefix) })
	g.show(routes)
	g.mu.Lock()
	g.routes = routes
	g.mu.Unlock()
}

func (g *gateway) show(routes []route) {
	var parts []string
	for _, r := range routes {
		parts = append(parts, fmt.Sprintf("%s -> %s:%d", r.prefix, r.service, r.port))
	}
	shown := strings.Join(parts, ", ")
	if shown == g.shown {
		return
	}
	g.shown = shown
	log.Printf("web: routes: %s", shown)
	for _, r := range routes {
		if r.missing {
			log.Printf("web: route %s: service \"%s/%s\" not found", r.prefix, g.ns, r.service)
		}
	}
}

type recorder struct {
	http.ResponseWriter
	status, size int
}

func (r *recorder) WriteHeader(status int) { r.status = status; r.ResponseWriter.WriteHeader(status) }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.size += n
	return n, err
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, request *http.Request) {
	if request.URL.Path == "/healthz" {
		fmt.Fprintln(w, "ok")
		return
	}
	started, out, upstream := time.Now(), &recorder{ResponseWriter: w}, "-"
	g.mu.RLock()
	routes := g.routes
	g.mu.RUnlock()
	matched := false
	for _, r := range routes {
		if !strings.HasPrefix(request.URL.Path, r.prefix) {
			continue
		}
		matched, upstream = true, fmt.Sprintf("%s:%d", r.service, r.port)
		if r.missing {
			http.Error(out, "503 Service Temporarily Unavailable", http.StatusServiceUnavailable)
		} else {
			r.proxy.ServeHTTP(out, request)
		}
		break
	}
	if !matched {
		http.NotFound(out, request)
	}
	host, _, _ := net.SplitHostPort(request.RemoteAddr)
	log.Printf("%s - - \"%s %s %s\" %d %d \"%s\" rt=%.3f upstream=%s", host, request.Method,
		request.URL.RequestURI(), request.Proto, out.status, out.size, request.UserAgent(),
		time.Since(started).Seconds(), upstream)
}
