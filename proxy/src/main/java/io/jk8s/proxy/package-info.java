package io.jk8s.proxy;
