package io.jk8s.e2e;
