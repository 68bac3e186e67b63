// This file holds the package example: encoding a command and decoding the
// replies a server sends back.

package resp_test

import (
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/transport/resp"
)

func Example() {
	// Encode a pipeline of two commands into one reusable buffer.
	var out []byte
	out = resp.AppendCommand(out, "SET", "greeting", "hello")
	out = resp.AppendCommand(out, "HGETALL", "user:1")
	fmt.Printf("%q\n", out)

	// Decode what a RESP3 server answers. A net.Conn works the same way.
	conn := strings.NewReader("+OK\r\n%2\r\n$4\r\nname\r\n$3\r\nAda\r\n$3\r\nage\r\n:36\r\n")
	rd := resp.NewReader(conn, 0, resp.Limits{})
	var reply resp.Reply // reused for every reply

	if err := rd.ReadReply(&reply); err != nil {
		panic(err)
	}
	fmt.Println(reply.Value().Text())

	if err := rd.ReadReply(&reply); err != nil {
		panic(err)
	}
	m := reply.Value()
	for k := m.First(); k.Valid(); k = k.Next().Next() {
		v := k.Next()
		fmt.Printf("%s = %v\n", k.Bytes(), v)
	}
	// Output:
	// "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n*2\r\n$7\r\nHGETALL\r\n$6\r\nuser:1\r\n"
	// OK
	// name = "Ada"
	// age = (integer) 36
}
