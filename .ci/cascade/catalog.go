package main

// The catalog tier: an HTTP service with no dependency of its own; /items lists every item
// (about 18 KB for the default 120), /items?limit=N the first N. It sizes its cache from
// CACHE_SIZE, writes it under CACHE_DIR at start, and reads CONFIG_FILE (a ConfigMap volume)
// at start and again every few seconds, as apps that reload their configuration do: a file
// that is gone or a setting it cannot read stops it, with Go's own error text.

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type item struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	PriceCents  int    `json:"price_cents"`
}

func runCatalog() {
	log.SetPrefix("catalog: ")
	size, err := strconv.Atoi(env("CACHE_SIZE", "128"))
	if err != nil {
		log.Fatalf("invalid CACHE_SIZE %q: %v", os.Getenv("CACHE_SIZE"), err)
	}
	cache := filepath.Join(env("CACHE_DIR", "/var/cache/catalog"), "items.db")
	if err := os.WriteFile(cache, make([]byte, size), 0o644); err != nil {
		log.Fatalf("creating the item cache: %v", err)
	}
	config := env("CONFIG_FILE", "/etc/catalog/catalog.yaml")
	var count atomic.Int64
	count.Store(int64(loadItems(config)))
	go func() {
		for range time.Tick(every()) {
			count.Store(int64(loadItems(config)))
		}
	}()
	items := func(w http.ResponseWriter, r *http.Request) {
		shown := int(count.Load())
		if limit, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && limit < shown {
			shown = limit
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(catalogItems(shown))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/items", items)
	mux.HandleFunc("/catalog/items", items)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	addr := ":" + env("PORT", "8080")
	log.Printf("serving %d items on %s", count.Load(), addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

// loadItems reads `items: N` from the configuration file; a file it cannot read stops the tier.
func loadItems(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatalf("loading config: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "items:") {
			count, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(trimmed, "items:")))
			if err != nil {
				log.Fatalf("loading config: %s: items: %v", path, err)
			}
			return count
		}
	}
	log.Fatalf("loading config: %s: no items: setting", path)
	return 0
}

func catalogItems(count int) []item {
	found := make([]item, count)
	for i := range found {
		found[i] = item{i + 1, fmt.Sprintf("item %d", i+1),
			"a thing the catalog lists, described at the length product pages describe things", 100 + 7*i}
	}
	return found
}
