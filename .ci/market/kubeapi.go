package main

// A process that reads the API server with its ServiceAccount's token, as a controller does
// (the Ingress controller, the Gateway's data plane).

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

const serviceAccount = "/var/run/secrets/kubernetes.io/serviceaccount"

type kubeAPI struct {
	client *http.Client
	base   string
	token  string
	ns     string
}

func newKubeAPI() *kubeAPI {
	ns, _ := os.ReadFile(serviceAccount + "/namespace")
	token, _ := os.ReadFile(serviceAccount + "/token")
	pool := x509.NewCertPool()
	if ca, err := os.ReadFile(serviceAccount + "/ca.crt"); err == nil {
		pool.AppendCertsFromPEM(ca)
	}
	return &kubeAPI{
		client: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
		base:   "https://" + net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")),
		token:  strings.TrimSpace(string(token)),
		ns:     strings.TrimSpace(string(ns)),
	}
}

// get decodes the object at path into `into`; the HTTP status (0 when the request failed).
func (k *kubeAPI) get(path string, into interface{}) (int, error) {
	request, _ := http.NewRequest("GET", k.base+path, nil)
	request.Header.Set("Authorization", "Bearer "+k.token)
	response, err := k.client.Do(request)
	if err != nil {
		return 0, err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return response.StatusCode, nil
	}
	return response.StatusCode, json.NewDecoder(response.Body).Decode(into)
}

// servicePort is one port of a Service.
type servicePort struct {
	Name       string      `json:"name"`
	Port       int         `json:"port"`
	TargetPort interface{} `json:"targetPort"`
}

type serviceObject struct {
	Spec struct {
		ClusterIP string        `json:"clusterIP"`
		Ports     []servicePort `json:"ports"`
	} `json:"spec"`
}

type endpointsObject struct {
	Subsets []struct {
		Addresses []struct {
			IP string `json:"ip"`
		} `json:"addresses"`
		Ports []struct {
			Name string `json:"name"`
			Port int    `json:"port"`
		} `json:"ports"`
	} `json:"subsets"`
}
