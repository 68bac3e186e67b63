package redistest

// This file is redistest's own minimal RESP2 connection, independent of
// the client under test: readiness probes and the administration that
// forms clusters and sentinel groups.

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// replyError is an error reply of the server.
type replyError string

func (e replyError) Error() string { return string(e) }

// probeConn is one connection sending commands in RESP2.
type probeConn struct {
	conn net.Conn
	r    *bufio.Reader
}

// dialProbe connects to addr, authenticating with password when set.
func dialProbe(addr, password string, tlsConfig *tls.Config, timeout time.Duration) (*probeConn, error) {
	d := net.Dialer{Timeout: timeout}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	nc.SetDeadline(time.Now().Add(timeout))
	conn := nc
	if tlsConfig != nil {
		tc := tls.Client(nc, tlsConfig)
		if err := tc.Handshake(); err != nil {
			nc.Close()
			return nil, err
		}
		conn = tc
	}
	p := &probeConn{conn: conn, r: bufio.NewReader(conn)}
	if password != "" {
		if _, err := p.do("AUTH", password); err != nil {
			p.close()
			return nil, fmt.Errorf("AUTH: %w", err)
		}
	}
	return p, nil
}

func (p *probeConn) close() { p.conn.Close() }

// do sends a command and reads its reply: string, int64, nil, []any, or
// an error (replyError for an error reply).
func (p *probeConn) do(args ...string) (any, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := p.conn.Write(b.Bytes()); err != nil {
		return nil, err
	}
	v, err := p.read()
	if err != nil {
		return nil, err
	}
	if e, ok := v.(replyError); ok {
		return nil, e
	}
	return v, nil
}

func (p *probeConn) read() (any, error) {
	line, err := p.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("empty reply line")
	}
	body := line[1:]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return replyError(body), nil
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(p.r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, nil
		}
		items := make([]any, n)
		for i := range items {
			if items[i], err = p.read(); err != nil {
				return nil, err
			}
		}
		return items, nil
	}
	return nil, fmt.Errorf("unexpected reply line %q", line)
}

// command runs one command on a new connection to addr.
func command(addr, password string, tlsConfig *tls.Config, timeout time.Duration, args ...string) (any, error) {
	p, err := dialProbe(addr, password, tlsConfig, timeout)
	if err != nil {
		return nil, err
	}
	defer p.close()
	return p.do(args...)
}

// text returns a reply as text (a string; "" otherwise).
func text(v any) string {
	s, _ := v.(string)
	return s
}

// infoField returns field's value in an INFO reply.
func infoField(info, field string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), field+":"); ok {
			return v
		}
	}
	return ""
}
