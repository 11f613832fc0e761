// The Linux calls FrontProxy's data plane makes that Swift's Glibc module does not expose: epoll and
// eventfd (not in the module at all) and accept4 (declared by <sys/socket.h> only under _GNU_SOURCE, which
// the Glibc module is built without). Declarations only: libc provides every symbol.
#ifndef FRONTPROXY_CLINUXSOCKETS_H
#define FRONTPROXY_CLINUXSOCKETS_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

#endif
