package main

// The db tier's wire protocol, a line-based stand-in for PostgreSQL's, and its client. The
// client's errors read as pgx v5's do: the real net error (dial, lookup) inside the driver's
// own wrapping, and the server's errors with their SQLSTATE.
//
//	client: STARTUP user=U database=D password=P     server: R OK | E SEVERITY CODE MESSAGE
//	client: Q SQL                                    server: C TAG | E SEVERITY CODE MESSAGE

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// ServerError is an error the database sent (an ErrorResponse).
type ServerError struct{ Severity, Code, Message string }

func (e *ServerError) Error() string {
	return fmt.Sprintf("%s: %s (SQLSTATE %s)", e.Severity, e.Message, e.Code)
}

// ConnectError is a failed connection attempt, as pgx wraps it.
type ConnectError struct {
	Host, User, Database string
	Stage                string // "hostname resolving error", "dial error", "server error"
	Err                  error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("failed to connect to `host=%s user=%s database=%s`: %s (%v)",
		e.Host, e.User, e.Database, e.Stage, e.Err)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// DSN names a database and how to log in to it.
type DSN struct{ Host, Port, User, Password, Database string }

// Conn is one open session.
type Conn struct {
	conn   net.Conn
	reader *bufio.Reader
}

// Connect resolves the host, dials it and logs in.
func Connect(ctx context.Context, dsn DSN, timeout time.Duration) (*Conn, error) {
	fail := func(stage string, err error) error {
		return &ConnectError{dsn.Host, dsn.User, dsn.Database, stage, err}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addresses, err := net.DefaultResolver.LookupHost(ctx, dsn.Host)
	if err != nil {
		return nil, fail("hostname resolving error", err)
	}
	dialer := net.Dialer{}
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(addresses[0], dsn.Port))
	if err != nil {
		return nil, fail("dial error", err)
	}
	c := &Conn{conn, bufio.NewReader(conn)}
	startup := fmt.Sprintf("STARTUP user=%s database=%s password=%s", dsn.User, dsn.Database, dsn.Password)
	if _, err := c.exchange(startup, timeout); err != nil {
		conn.Close()
		return nil, fail("server error", err)
	}
	return c, nil
}

// Exec runs one statement; its command tag, or the server's error.
func (c *Conn) Exec(sql string, timeout time.Duration) (string, error) {
	return c.exchange("Q "+sql, timeout)
}

// Close ends the session.
func (c *Conn) Close() { c.conn.Close() }

func (c *Conn) exchange(line string, timeout time.Duration) (string, error) {
	c.conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(c.conn, "%s\n", line); err != nil {
		return "", err
	}
	reply, err := c.reader.ReadString('\n')
	if err != nil {
		return "", err
	}
	reply = strings.TrimRight(reply, "\r\n")
	switch {
	case strings.HasPrefix(reply, "E "):
		parts := strings.SplitN(reply[2:], " ", 3)
		if len(parts) < 3 {
			return "", fmt.Errorf("malformed error from server: %q", reply)
		}
		return "", &ServerError{parts[0], parts[1], parts[2]}
	case strings.HasPrefix(reply, "R ") || strings.HasPrefix(reply, "C "):
		return reply[2:], nil
	}
	return "", fmt.Errorf("unexpected message from server: %q", reply)
}

// Query opens a session, runs one statement and closes it (a pool of one, refilled each time).
func Query(dsn DSN, sql string, timeout time.Duration) (string, error) {
	conn, err := Connect(context.Background(), dsn, timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	return conn.Exec(sql, timeout)
}
