module kubemedic.local/cascade

go 1.19
