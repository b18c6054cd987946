package main

// The gateway process: the data plane of the namespace's Gateway (Gateway API), as Envoy is
// one. Every few seconds it reads the HTTPRoutes attached to its Gateway (GATEWAY_NAME) in its
// namespace; a request goes to the first route whose PathPrefix matches, to its first backend
// by the Service's cluster name and port (a STRICT_DNS cluster: the name is resolved per
// request). Its answers and its access log are Envoy's: the default access log format with
// Envoy's response flags (UF, UH, UT, NR), and Envoy's own bodies for what it answers itself.

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

type gwRoute struct {
	name, prefix, service string
	port                  int
}

type gateway struct {
	api    *kubeAPI
	mu     sync.RWMutex
	routes []gwRoute
	shown  string
}

func envoyLog(level, logger, source, format string, args ...interface{}) {
	stamp := time.Now().UTC().Format("2006-01-02 15:04:05.000")
	fmt.Fprintf(os.Stderr, "[%s][1][%s][%s] [%s] %s\n", stamp, level, logger, source, fmt.Sprintf(format, args...))
}

func runGateway() {
	g := &gateway{api: newKubeAPI()}
	envoyLog("info", "main", "source/server/server.cc:413", "initializing epoch 0 (base id=0, hot restart version=11.104)")
	envoyLog("info", "main", "source/server/server.cc:415", "statically linked extensions:")
	envoyLog("info", "admin", "source/server/admin/admin.cc:66", "admin address: 0.0.0.0:19001")
	g.sync()
	envoyLog("info", "upstream", "source/common/upstream/cluster_manager_impl.cc:222", "cm init: all clusters initialized")
	envoyLog("info", "main", "source/server/server.cc:932", "all clusters initialized. initializing init manager")
	envoyLog("info", "config", "source/extensions/listener_managers/listener_manager/listener_manager_impl.cc:857", "all dependencies initialized. starting workers")
	go func() {
		for range time.Tick(every()) {
			g.sync()
		}
	}()
	admin := http.NewServeMux()
	admin.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "LIVE\n") })
	go http.ListenAndServe(":19001", admin)
	http.ListenAndServe(":"+env("PORT", "8080"), g)
}

type routeList struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			ParentRefs []struct {
				Name string `json:"name"`
			} `json:"parentRefs"`
			Rules []struct {
				Matches []struct {
					Path struct {
						Type  string `json:"type"`
						Value string `json:"value"`
					} `json:"path"`
				} `json:"matches"`
				BackendRefs []struct {
					Name string `json:"name"`
					Port int    `json:"port"`
				} `json:"backendRefs"`
			} `json:"rules"`
		} `json:"spec"`
	} `json:"items"`
}

func (g *gateway) sync() {
	var list routeList
	status, err := g.api.get("/apis/gateway.networking.k8s.io/v1/namespaces/"+g.api.ns+"/httproutes", &list)
	if err != nil || status != http.StatusOK {
		envoyLog("warning", "config", "source/common/config/grpc_stream.h:163", "StreamAggregatedResources gRPC config stream to xds_cluster closed: 14, upstream connect error or disconnect/reset before headers. reset reason: connection failure")
		return
	}
	var routes []gwRoute
	for _, item := range list.Items {
		attached := false
		for _, parent := range item.Spec.ParentRefs {
			attached = attached || parent.Name == env("GATEWAY_NAME", "market")
		}
		if !attached {
			continue
		}
		for _, rule := range item.Spec.Rules {
			if len(rule.BackendRefs) == 0 {
				continue
			}
			prefix := "/"
			if len(rule.Matches) > 0 && rule.Matches[0].Path.Value != "" {
				prefix = rule.Matches[0].Path.Value
			}
			b := rule.BackendRefs[0]
			routes = append(routes, gwRoute{item.Metadata.Name, prefix, b.Name, b.Port})
		}
	}
	sort.SliceStable(routes, func(i, j int) bool { return len(routes[i].prefix) > len(routes[j].prefix) })
	var parts []string
	clusters := map[string]bool{}
	for _, r := range routes {
		parts = append(parts, fmt.Sprintf("%s=%s:%d", r.prefix, r.service, r.port))
		clusters[fmt.Sprintf("%s:%d", r.service, r.port)] = true
	}
	shown := strings.Join(parts, ",")
	if shown != g.shown {
		if g.shown != "" {
			envoyLog("info", "upstream", "source/common/upstream/cds_api_helper.cc:32", "cds: add %d cluster(s), remove %d cluster(s)", len(clusters), len(clusters))
			envoyLog("info", "upstream", "source/common/upstream/cds_api_helper.cc:71", "cds: added/updated %d cluster(s), skipped 0 unmodified cluster(s)", len(clusters))
		}
		envoyLog("info", "router", "source/common/router/rds_impl.cc:142", "rds: loading new configuration: config_name=%s/%s/http hash=%d", g.api.ns, env("GATEWAY_NAME", "market"), rand.Int63())
		g.shown = shown
	}
	g.mu.Lock()
	g.routes = routes
	g.mu.Unlock()
}

var gatewayTransport = &http.Transport{DisableKeepAlives: true, ResponseHeaderTimeout: 15 * time.Second}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	g.mu.RLock()
	routes := g.routes
	g.mu.RUnlock()
	var route *gwRoute
	for i := range routes {
		if strings.HasPrefix(r.URL.Path, routes[i].prefix) {
			route = &routes[i]
			break
		}
	}
	requestID := fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rand.Uint32(), rand.Intn(1<<16), rand.Intn(1<<12), rand.Intn(1<<12), rand.Int63n(1<<48))
	received := 0
	if r.ContentLength > 0 {
		received = int(r.ContentLength)
	}
	status, flags, sent, upstreamHost, serviceTime := 404, "NR", 0, "-", "-"
	if route != nil {
		status, flags, sent, upstreamHost, serviceTime = g.forward(w, r, route, requestID)
	} else {
		w.WriteHeader(404)
	}
	client, _, _ := net.SplitHostPort(r.RemoteAddr)
	fmt.Printf("[%s] \"%s %s %s\" %d %s %d %d %d %s \"%s\" \"%s\" \"%s\" \"%s\" \"%s\"\n",
		started.UTC().Format("2006-01-02T15:04:05.000Z"), r.Method, r.URL.RequestURI(), r.Proto, status, flags, received, sent,
		time.Since(started).Milliseconds(), serviceTime, client, r.UserAgent(), requestID, r.Host, upstreamHost)
}

// forward sends the request to the route's backend: status, response flags, bytes sent,
// the upstream host and the upstream service time (as the access log prints them).
func (g *gateway) forward(w http.ResponseWriter, r *http.Request, route *gwRoute, requestID string) (int, string, int, string, string) {
	name := fmt.Sprintf("%s.%s.svc.cluster.local", route.service, g.api.ns)
	local := func(status int, flags, body string) (int, string, int, string, string) {
		w.Header().Set("content-type", "text/plain")
		w.WriteHeader(status)
		io.WriteString(w, body)
		return status, flags, len(body), "-", "-"
	}
	addresses, err := net.LookupHost(name)
	if err != nil || len(addresses) == 0 {
		return local(503, "UH", "no healthy upstream")
	}
	host := net.JoinHostPort(addresses[0], strconv.Itoa(route.port))
	conn, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		reason := "remote connection failure, transport failure reason: delayed connect error: 111"
		if classify(err) == timedOut {
			reason = "connection timeout"
		}
		status, flags, sent, _, _ := local(503, "UF", "upstream connect error or disconnect/reset before headers. reset reason: "+reason)
		return status, flags, sent, host, "-"
	}
	conn.Close()
	out, _ := http.NewRequest(r.Method, "http://"+host+r.URL.RequestURI(), r.Body)
	out.Header = r.Header.Clone()
	out.Header.Set("x-request-id", requestID)
	out.Header.Set("x-envoy-expected-rq-timeout-ms", "15000")
	out.Host = r.Host
	started := time.Now()
	response, err := gatewayTransport.RoundTrip(out)
	if err != nil {
		if classify(err) == timedOut {
			status, flags, sent, _, _ := local(504, "UT", "upstream request timeout")
			return status, flags, sent, host, "-"
		}
		status, flags, sent, _, _ := local(503, "UC", "upstream connect error or disconnect/reset before headers. reset reason: connection termination")
		return status, flags, sent, host, "-"
	}
	defer response.Body.Close()
	serviceTime := strconv.FormatInt(time.Since(started).Milliseconds(), 10)
	for key, values := range response.Header {
		w.Header()[key] = values
	}
	w.Header().Set("x-envoy-upstream-service-time", serviceTime)
	w.Header().Set("server", "envoy")
	w.WriteHeader(response.StatusCode)
	n, _ := io.Copy(w, response.Body)
	return response.StatusCode, "-", int(n), host, serviceTime
}
