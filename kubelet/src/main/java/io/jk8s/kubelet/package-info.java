package io.jk8s.kubelet;
