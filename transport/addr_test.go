package transport

// Tests of Command.Addr: every path that writes a command records the
// address of the server it went to.

import (
	"testing"
	"time"
)

func TestCommandAddr(t *testing.T) {
	a := newFakeServer(t, fakeOptions{})
	b := newFakeServer(t, fakeOptions{})
	ctx := testCtx(t, 10*time.Second)
	for _, pipelined := range []bool{false, true} {
		name := "direct"
		if pipelined {
			name = "pipelined"
		}
		t.Run(name, func(t *testing.T) {
			na := newTestNode(t, a, func(c *NodeConfig) { c.AlwaysPipeline = pipelined })
			nb := newTestNode(t, b, func(c *NodeConfig) { c.AlwaysPipeline = pipelined })

			slab := NewCommandSlab(1)
			cmd := slab.Next()
			cmd.Append(String("PING"))
			if got := cmd.Addr(); got != "" {
				t.Fatalf("Addr before sending = %q, want empty", got)
			}
			if err := na.Do(ctx, cmd); err != nil {
				t.Fatal(err)
			}
			if got := cmd.Addr(); got != a.addr {
				t.Fatalf("Addr after Node.Do = %q, want %q", got, a.addr)
			}
			// The same command sent again elsewhere names the last server.
			if err := nb.Do(ctx, cmd); err != nil {
				t.Fatal(err)
			}
			if got := cmd.Addr(); got != b.addr {
				t.Fatalf("Addr after a second Do = %q, want %q", got, b.addr)
			}
			cmd.Release()
			if got := cmd.Addr(); got != "" {
				t.Fatalf("Addr after Release = %q, want empty", got)
			}

			cmds := []*Command{setCmd("addr:k", "v"), getCmd("addr:k")}
			if err := nb.DoMulti(ctx, cmds); err != nil {
				t.Fatal(err)
			}
			for i, c := range cmds {
				if got := c.Addr(); got != b.addr {
					t.Errorf("Addr of DoMulti's command %d = %q, want %q", i, got, b.addr)
				}
				c.Release()
			}

			conn, err := na.DedicatedConn(ctx, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Release()
			get := getCmd("addr:k")
			defer get.Release()
			if err := conn.Do(ctx, get); err != nil {
				t.Fatal(err)
			}
			if got := get.Addr(); got != a.addr {
				t.Errorf("Addr after Conn.Do = %q, want %q", got, a.addr)
			}
		})
	}
}
