package io.jk8s.dns;
