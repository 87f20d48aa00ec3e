package io.jk8s.cli;
