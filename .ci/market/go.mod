module kubemedic.local/market

go 1.19
