package io.jk8s.apiserver;
