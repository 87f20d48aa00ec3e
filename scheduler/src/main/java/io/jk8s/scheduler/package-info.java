package io.jk8s.scheduler;
