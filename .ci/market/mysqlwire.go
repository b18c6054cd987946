package main

// MySQL's client/server protocol, the part a pooled client uses: the v10 handshake with
// mysql_native_password, COM_QUERY answered by an OK packet, a text result set or an ERR
// packet, COM_PING and COM_QUIT. The server (mysql.go) and every client here speak it, so the
// errors the clients report are the server's own codes, states and messages.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

const (
	clientLongPassword   = 0x00000001
	clientConnectWithDB  = 0x00000008
	clientProtocol41     = 0x00000200
	clientTransactions   = 0x00002000
	clientSecureConn     = 0x00008000
	clientPluginAuth     = 0x00080000
	clientCapabilities   = clientLongPassword | clientConnectWithDB | clientProtocol41 | clientTransactions | clientSecureConn | clientPluginAuth
	nativePassword       = "mysql_native_password"
	comQuit, comQuery    = 0x01, 0x03
	comPing              = 0x0e
	serverStatusAutocomm = 0x0002
)

// MySQLError is an ERR packet: the server's error number, SQLSTATE and message.
type MySQLError struct {
	Number  uint16
	State   string
	Message string
}

func (e *MySQLError) Error() string {
	return fmt.Sprintf("Error %d (%s): %s", e.Number, e.State, e.Message)
}

type packets struct {
	r   *bufio.Reader
	w   io.Writer
	seq byte
}

func (p *packets) read() ([]byte, error) {
	var head [4]byte
	if _, err := io.ReadFull(p.r, head[:]); err != nil {
		return nil, err
	}
	size := int(head[0]) | int(head[1])<<8 | int(head[2])<<16
	p.seq = head[3] + 1
	body := make([]byte, size)
	_, err := io.ReadFull(p.r, body)
	return body, err
}

func (p *packets) write(body []byte) error {
	head := []byte{byte(len(body)), byte(len(body) >> 8), byte(len(body) >> 16), p.seq}
	p.seq++
	_, err := p.w.Write(append(head, body...))
	return err
}

func lenenc(n int) []byte {
	if n < 251 {
		return []byte{byte(n)}
	}
	return []byte{0xfc, byte(n), byte(n >> 8)}
}

func lenencString(s string) []byte { return append(lenenc(len(s)), s...) }

func readLenenc(b []byte) (int, []byte) {
	if len(b) == 0 {
		return 0, b
	}
	if b[0] == 0xfc && len(b) >= 3 {
		return int(b[1]) | int(b[2])<<8, b[3:]
	}
	return int(b[0]), b[1:]
}

// scramble is mysql_native_password: SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))).
func scramble(salt []byte, password string) []byte {
	if password == "" {
		return nil
	}
	first := sha1.Sum([]byte(password))
	second := sha1.Sum(first[:])
	h := sha1.New()
	h.Write(salt)
	h.Write(second[:])
	out := h.Sum(nil)
	for i := range out {
		out[i] ^= first[i]
	}
	return out
}

func errPacket(e *MySQLError) []byte {
	body := []byte{0xff, byte(e.Number), byte(e.Number >> 8), '#'}
	body = append(body, e.State...)
	return append(body, e.Message...)
}

func okPacket(affected int) []byte {
	body := []byte{0x00}
	body = append(body, lenenc(affected)...)
	body = append(body, 0, byte(serverStatusAutocomm), 0, 0, 0)
	return body
}

func parseErr(body []byte) *MySQLError {
	if len(body) < 9 {
		return &MySQLError{2027, "HY000", "Malformed packet"}
	}
	return &MySQLError{binary.LittleEndian.Uint16(body[1:3]), string(body[4:9]), string(body[9:])}
}

// --- server side ---------------------------------------------------------------------

// mysqlSession is one client connection as the server sees it.
type mysqlSession struct {
	p        *packets
	conn     net.Conn
	user, db string
	salt     []byte
}

func newSalt() []byte {
	salt := make([]byte, 20)
	rand.Read(salt)
	for i := range salt { // no NUL in the salt: it is written NUL-terminated
		salt[i] = salt[i]%94 + 33
	}
	return salt
}

// greet sends the v10 handshake and reads the client's answer.
func (s *mysqlSession) greet(version string, id uint32) ([]byte, error) {
	s.salt = newSalt()
	body := []byte{10}
	body = append(body, version...)
	body = append(body, 0)
	body = binary.LittleEndian.AppendUint32(body, id)
	body = append(body, s.salt[:8]...)
	body = append(body, 0)
	body = binary.LittleEndian.AppendUint16(body, uint16(clientCapabilities&0xffff))
	body = append(body, 255)
	body = binary.LittleEndian.AppendUint16(body, serverStatusAutocomm)
	body = binary.LittleEndian.AppendUint16(body, uint16(clientCapabilities>>16))
	body = append(body, 21)
	body = append(body, make([]byte, 10)...)
	body = append(body, s.salt[8:]...)
	body = append(body, 0)
	body = append(body, nativePassword...)
	body = append(body, 0)
	if err := s.p.write(body); err != nil {
		return nil, err
	}
	answer, err := s.p.read()
	if err != nil || len(answer) < 33 {
		return nil, errors.New("bad handshake")
	}
	caps := binary.LittleEndian.Uint32(answer[0:4])
	rest := answer[32:]
	end := bytes.IndexByte(rest, 0)
	if end < 0 {
		return nil, errors.New("bad handshake")
	}
	s.user, rest = string(rest[:end]), rest[end+1:]
	var auth []byte
	if len(rest) > 0 {
		n := int(rest[0])
		if 1+n > len(rest) {
			return nil, errors.New("bad handshake")
		}
		auth, rest = rest[1:1+n], rest[1+n:]
	}
	if caps&clientConnectWithDB != 0 {
		if end = bytes.IndexByte(rest, 0); end >= 0 {
			s.db = string(rest[:end])
		}
	}
	return auth, nil
}

func (s *mysqlSession) resultSet(column string, rows []string) error {
	if err := s.p.write(lenenc(1)); err != nil {
		return err
	}
	def := append(lenencString("def"), lenencString(s.db)...)
	def = append(def, lenencString("")...)
	def = append(def, lenencString("")...)
	def = append(def, lenencString(column)...)
	def = append(def, lenencString(column)...)
	def = append(def, 0x0c, 255, 0, 0, 1, 0, 0, 0xfd, 0, 0, 0, 0, 0)
	eof := []byte{0xfe, 0, 0, byte(serverStatusAutocomm), 0}
	for _, body := range [][]byte{def, eof} {
		if err := s.p.write(body); err != nil {
			return err
		}
	}
	for _, row := range rows {
		if err := s.p.write(lenencString(row)); err != nil {
			return err
		}
	}
	return s.p.write(eof)
}

// --- client side ---------------------------------------------------------------------

// MySQLConn is a client's open session.
type MySQLConn struct {
	conn net.Conn
	p    *packets
}

// MySQLDSN is what a client connects with.
type MySQLDSN struct{ Host, Port, User, Password, Database string }

// DialMySQL connects and logs in; a dial error is returned as it is (the caller words it),
// a refused login as the server's *MySQLError.
func DialMySQL(dsn MySQLDSN, timeout time.Duration) (*MySQLConn, error) {
	conn, err := dial(dsn.Host, dsn.Port, timeout)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	c := &MySQLConn{conn, &packets{r: bufio.NewReader(conn), w: conn}}
	if err := c.login(dsn); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

func (c *MySQLConn) login(dsn MySQLDSN) error {
	greeting, err := c.p.read()
	if err != nil {
		return err
	}
	if len(greeting) > 0 && greeting[0] == 0xff {
		return parseErr(greeting)
	}
	end := bytes.IndexByte(greeting[1:], 0) + 1
	rest := greeting[end+1+4:]
	salt := append([]byte{}, rest[:8]...)
	rest = rest[8+1+2+1+2+2+1+10:]
	salt = append(salt, rest[:12]...)
	body := binary.LittleEndian.AppendUint32(nil, clientCapabilities)
	body = binary.LittleEndian.AppendUint32(body, 1<<24)
	body = append(body, 255)
	body = append(body, make([]byte, 23)...)
	body = append(body, dsn.User...)
	body = append(body, 0)
	auth := scramble(salt, dsn.Password)
	body = append(body, byte(len(auth)))
	body = append(body, auth...)
	body = append(body, dsn.Database...)
	body = append(body, 0)
	body = append(body, nativePassword...)
	body = append(body, 0)
	if err := c.p.write(body); err != nil {
		return err
	}
	answer, err := c.p.read()
	if err != nil {
		return err
	}
	if answer[0] == 0xff {
		return parseErr(answer)
	}
	return nil
}

// Exec runs one statement: the rows of a result set (nil for OK), or the server's error.
func (c *MySQLConn) Exec(sql string, timeout time.Duration) ([]string, error) {
	c.conn.SetDeadline(time.Now().Add(timeout))
	c.p.seq = 0
	if err := c.p.write(append([]byte{comQuery}, sql...)); err != nil {
		return nil, err
	}
	first, err := c.p.read()
	if err != nil {
		return nil, err
	}
	switch first[0] {
	case 0x00:
		return nil, nil
	case 0xff:
		return nil, parseErr(first)
	}
	columns, _ := readLenenc(first)
	for i := 0; i < columns+1; i++ { // column definitions, then EOF
		if _, err := c.p.read(); err != nil {
			return nil, err
		}
	}
	var rows []string
	for {
		row, err := c.p.read()
		if err != nil {
			return nil, err
		}
		if row[0] == 0xfe && len(row) < 9 {
			return rows, nil
		}
		n, rest := readLenenc(row)
		if n > len(rest) {
			n = len(rest)
		}
		rows = append(rows, string(rest[:n]))
	}
}

// Close sends COM_QUIT and closes.
func (c *MySQLConn) Close() {
	c.p.seq = 0
	c.p.write([]byte{comQuit})
	c.conn.Close()
}

// MySQLQuery opens a session, runs one statement and closes it (a pool refilled each time).
func MySQLQuery(dsn MySQLDSN, sql string, timeout time.Duration) ([]string, error) {
	conn, err := DialMySQL(dsn, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return conn.Exec(sql, timeout)
}
