package io.jk8s.controllers;
