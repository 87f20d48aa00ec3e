package io.jk8s.hollow;
