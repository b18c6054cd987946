package main

// The ingress-nginx-controller process: an Ingress controller as ingress-nginx is one. Every
// few seconds it reads the Ingresses of class nginx in every namespace, each backend's Service
// and Endpoints, and proxies a request to a ready endpoint of the Service port the backend
// names (by number or by name), as nginx does with the upstreams the controller writes. A
// backend whose Service is missing, or that names a port the Service does not have, or whose
// Service has no ready endpoint, gets no upstream server: 503, and the controller's warning in
// ingress-nginx's own words. Requests are logged in ingress-nginx's access log format, upstream
// failures in nginx's error log format.

import (
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type upstream struct {
	name    string   // ns-service-port, as the controller names it
	servers []string // ip:port
}

type edgeRoute struct {
	host, prefix string
	up           upstream
}

type edge struct {
	api       *kubeAPI
	mu        sync.RWMutex
	routes    []edgeRoute
	shown     string
	warned    map[string]time.Time
	ingresses int
}

func klog(level byte, file, format string, args ...interface{}) {
	now := time.Now().UTC()
	fmt.Fprintf(os.Stderr, "%c%s %s       7 %s] %s\n", level, now.Format("0102"), now.Format("15:04:05.000000"), file, fmt.Sprintf(format, args...))
}

func runEdge() {
	fmt.Fprint(os.Stderr, "-------------------------------------------------------------------------------\n"+
		"NGINX Ingress controller\n  Release:       v1.9.5\n  Build:         f503c4bb5fa7d857ad29e94970eb550c2bc00b7c\n"+
		"  Repository:    https://github.com/kubernetes/ingress-nginx\n  nginx version: nginx/1.21.6\n\n"+
		"-------------------------------------------------------------------------------\n\n")
	e := &edge{api: newKubeAPI(), warned: map[string]time.Time{}}
	klog('I', "main.go:205", "\"Creating API client\" host=\"https://%s:%s\"", os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT"))
	klog('I', "main.go:249", "\"Running in Kubernetes cluster\" major=\"1\" minor=\"20\" git=\"v1.20.2\" state=\"clean\"")
	klog('I', "nginx.go:260", "\"Starting NGINX Ingress controller\"")
	e.sync()
	go func() {
		for range time.Tick(every()) {
			e.sync()
		}
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	go http.ListenAndServe(":10254", mux)
	klog('I', "controller.go:190", "\"Configuration changes detected, backend reload required\"")
	klog('I', "controller.go:210", "\"Backend successfully reloaded\"")
	http.ListenAndServe(":"+env("HTTP_PORT", "80"), e)
}

type ingressList struct {
	Items []struct {
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
		Spec struct {
			IngressClassName string `json:"ingressClassName"`
			Rules            []struct {
				Host string `json:"host"`
				HTTP struct {
					Paths []struct {
						Path    string `json:"path"`
						Backend struct {
							Service struct {
								Name string `json:"name"`
								Port struct {
									Number int    `json:"number"`
									Name   string `json:"name"`
								} `json:"port"`
							} `json:"service"`
						} `json:"backend"`
					} `json:"paths"`
				} `json:"http"`
			} `json:"rules"`
		} `json:"spec"`
	} `json:"items"`
}

// sync reads the Ingresses and builds the routes; the warnings the controller logs.
func (e *edge) sync() {
	var list ingressList
	if status, err := e.api.get("/apis/networking.k8s.io/v1/ingresses", &list); err != nil || status != http.StatusOK {
		klog('E', "store.go:359", "\"Failed to list *v1.Ingress\" err=\"status %d: %v\"", status, err)
		return
	}
	var routes []edgeRoute
	var warnings []string
	for _, ing := range list.Items {
		if ing.Spec.IngressClassName != env("INGRESS_CLASS", "nginx") {
			continue
		}
		for _, rule := range ing.Spec.Rules {
			for _, path := range rule.HTTP.Paths {
				b := path.Backend.Service
				port := b.Port.Name
				if port == "" {
					port = strconv.Itoa(b.Port.Number)
				}
				up, warning, ok := e.upstream(ing.Metadata.Namespace, b.Name, port)
				if !ok {
					return // the API server did not answer: keep the routes as they are
				}
				if warning != "" {
					warnings = append(warnings, warning)
				}
				routes = append(routes, edgeRoute{rule.Host, path.Path, up})
			}
		}
	}
	sort.SliceStable(routes, func(i, j int) bool { return len(routes[i].prefix) > len(routes[j].prefix) })
	e.publish(routes, warnings)
}

// upstream resolves a backend to its endpoints: the upstream, the controller's warning, and
// false when the API server could not be read.
func (e *edge) upstream(ns, service, port string) (upstream, string, bool) {
	up := upstream{name: fmt.Sprintf("%s-%s-%s", ns, service, port)}
	key := ns + "/" + service
	var svc serviceObject
	status, err := e.api.get(fmt.Sprintf("/api/v1/namespaces/%s/services/%s", ns, service), &svc)
	if err != nil || (status != http.StatusOK && status != http.StatusNotFound) {
		return up, "", false
	}
	if status == http.StatusNotFound {
		return up, fmt.Sprintf("controller.go:1214] Error obtaining Endpoints for Service %q: no object matching key %q in local store", key, key), true
	}
	var matched *servicePort
	for i, p := range svc.Spec.Ports {
		if strconv.Itoa(p.Port) == port || p.Name == port || fmt.Sprint(p.TargetPort) == port {
			matched = &svc.Spec.Ports[i]
			break
		}
	}
	if matched == nil {
		return up, fmt.Sprintf("controller.go:1232] Service %q does not have any active Endpoint for TCP port %s", key, port), true
	}
	var eps endpointsObject
	if status, err := e.api.get(fmt.Sprintf("/api/v1/namespaces/%s/endpoints/%s", ns, service), &eps); err != nil || status != http.StatusOK {
		return up, fmt.Sprintf("controller.go:1214] Error obtaining Endpoints for Service %q: no object matching key %q in local store", key, key), status != 0
	}
	for _, subset := range eps.Subsets {
		for _, p := range subset.Ports {
			if p.Name != matched.Name && len(subset.Ports) > 1 {
				continue
			}
			for _, a := range subset.Addresses {
				up.servers = append(up.servers, net.JoinHostPort(a.IP, strconv.Itoa(p.Port)))
			}
		}
	}
	if len(up.servers) == 0 {
		return up, fmt.Sprintf("controller.go:1232] Service %q does not have any active Endpoint.", key), true
	}
	return up, "", true
}

// publish swaps the routes in, logging a reload when they changed and each warning when it is
// new or last logged a minute ago (the controller warns again on every sync the cluster causes).
func (e *edge) publish(routes []edgeRoute, warnings []string) {
	var parts []string
	for _, r := range routes {
		parts = append(parts, fmt.Sprintf("%s%s=%s%v", r.host, r.prefix, r.up.name, r.up.servers))
	}
	shown := strings.Join(parts, ",")
	now := time.Now()
	for _, warning := range warnings {
		if last, seen := e.warned[warning]; !seen || now.Sub(last) > time.Minute {
			klog('W', warning[:strings.Index(warning, "]")], "%s", strings.TrimSpace(warning[strings.Index(warning, "]")+1:]))
			e.warned[warning] = now
		}
	}
	if shown != e.shown && e.shown != "" {
		klog('I', "controller.go:190", "\"Configuration changes detected, backend reload required\"")
		klog('I', "controller.go:210", "\"Backend successfully reloaded\"")
	}
	e.shown = shown
	e.mu.Lock()
	e.routes = routes
	e.mu.Unlock()
}

// nginxAnswer writes a response nginx makes itself, with nginx's reason phrase on the status
// line ("503 Service Temporarily Unavailable"); its length.
func nginxAnswer(w http.ResponseWriter, status int, reason, body string) int {
	conn, buffered, err := w.(http.Hijacker).Hijack()
	if err != nil {
		w.WriteHeader(status)
		io.WriteString(w, body)
		return len(body)
	}
	defer conn.Close()
	fmt.Fprintf(buffered, "HTTP/1.1 %d %s\r\nDate: %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, reason, time.Now().UTC().Format(http.TimeFormat), len(body), body)
	buffered.Flush()
	return len(body)
}

const nginxPage = "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

var edgeTransport = &http.Transport{
	DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	ResponseHeaderTimeout: 10 * time.Second,
	DisableKeepAlives:     true,
}

func (e *edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	host := strings.Split(r.Host, ":")[0]
	e.mu.RLock()
	routes := e.routes
	e.mu.RUnlock()
	var route *edgeRoute
	for i := range routes {
		if (routes[i].host == "" || routes[i].host == host) && strings.HasPrefix(r.URL.Path, routes[i].prefix) {
			route = &routes[i]
			break
		}
	}
	client, _, _ := net.SplitHostPort(r.RemoteAddr)
	status, size, upName, upAddr, upStatus, upTime := 404, 0, "upstream-default-backend", "-", "-", "-"
	if route == nil {
		body := "default backend - 404"
		w.WriteHeader(404)
		io.WriteString(w, body)
		size = len(body)
	} else if len(route.up.servers) == 0 {
		upName, status = route.up.name, 503
		reason := "Service Temporarily Unavailable"
		size = nginxAnswer(w, status, reason, fmt.Sprintf(nginxPage, status, reason, status, reason))
	} else {
		upName = route.up.name
		upAddr = route.up.servers[rand.Intn(len(route.up.servers))]
		status, size, upStatus = e.proxy(w, r, upAddr, client, host)
		upTime = fmt.Sprintf("%.3f", time.Since(started).Seconds())
	}
	stamp := time.Now().UTC().Format("02/Jan/2006:15:04:05 +0000")
	fmt.Printf("%s - - [%s] \"%s %s %s\" %d %d \"-\" \"%s\" %d %.3f [%s] [] %s %s %s %s %016x%016x\n",
		client, stamp, r.Method, r.URL.RequestURI(), r.Proto, status, size, r.UserAgent(), 80+len(r.URL.RequestURI()),
		time.Since(started).Seconds(), upName, upAddr, sizeOrDash(upStatus, size), upTime, upStatus, rand.Uint64(), rand.Uint64())
}

func sizeOrDash(upStatus string, size int) string {
	if upStatus == "-" || upStatus == "502" || upStatus == "504" {
		return "0"
	}
	return strconv.Itoa(size)
}

// proxy sends the request to one upstream server; (status, bytes, upstream status).
func (e *edge) proxy(w http.ResponseWriter, r *http.Request, server, client, host string) (int, int, string) {
	out, _ := http.NewRequest(r.Method, "http://"+server+r.URL.RequestURI(), r.Body)
	out.Header = r.Header.Clone()
	out.Header.Set("X-Forwarded-For", client)
	out.Host = r.Host
	response, err := edgeTransport.RoundTrip(out)
	if err != nil {
		status, reason := 502, "Bad Gateway"
		what := "connect() failed (111: Connection refused) while connecting to upstream"
		switch classify(err) {
		case timedOut:
			status, reason = 504, "Gateway Time-out"
			what = "upstream timed out (110: Connection timed out) while connecting to upstream"
			if !strings.Contains(err.Error(), "dial") {
				what = "upstream timed out (110: Connection timed out) while reading response header from upstream"
			}
		case reset, other:
			what = "upstream prematurely closed connection while reading response header from upstream"
		}
		fmt.Fprintf(os.Stderr, "%s [error] 31#31: *%d %s, client: %s, server: %s, request: \"%s %s %s\", upstream: \"http://%s%s\", host: \"%s\"\n",
			time.Now().UTC().Format("2006/01/02 15:04:05"), 1000+rand.Intn(90000), what, client, host, r.Method, r.URL.RequestURI(), r.Proto, server, r.URL.RequestURI(), r.Host)
		size := nginxAnswer(w, status, reason, fmt.Sprintf(nginxPage, status, reason, status, reason))
		return status, size, strconv.Itoa(status)
	}
	defer response.Body.Close()
	for key, values := range response.Header {
		w.Header()[key] = values
	}
	w.WriteHeader(response.StatusCode)
	n, _ := io.Copy(w, response.Body)
	return response.StatusCode, int(n), strconv.Itoa(response.StatusCode)
}
