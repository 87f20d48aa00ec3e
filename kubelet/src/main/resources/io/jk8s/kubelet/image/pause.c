/*
 * jk8s pause: the process that holds a pod sandbox's namespaces open.
 * It sleeps until SIGTERM/SIGINT, and, running as PID 1 of the pod when the PID namespace is
 * shared, reaps orphaned children so that zombies never accumulate.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_terminate(int sig) {
    (void) sig;
    _exit(0);
}

static void on_child(int sig) {
    (void) sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        puts("jk8s pause 3.10");
        return 0;
    }
    struct sigaction terminate = {.sa_handler = on_terminate};
    struct sigaction child = {.sa_handler = on_child, .sa_flags = SA_NOCLDSTOP};
    sigaction(SIGTERM, &terminate, NULL);
    sigaction(SIGINT, &terminate, NULL);
    sigaction(SIGCHLD, &child, NULL);
    for (;;) {
        pause();
    }
}
