package cli

// This file reads a live server's command table (COMMAND DOCS and COMMAND
// INFO) for `redkit spec import --from`, so users can generate bindings for
// exactly the server they run, modules included.

import (
	"context"
	"fmt"
	"time"

	"github.com/redkit-go/redkit/redisclient"
	"github.com/redkit-go/redkit/spec/upstream"
	"github.com/redkit-go/redkit/transport/resp"
)

// liveTimeout bounds the whole conversation with the server.
const liveTimeout = 30 * time.Second

// readLive imports the command table of the server at rawURL.
func readLive(ctx context.Context, rawURL string) (*upstream.Source, error) {
	opts, err := redisclient.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	opts.OfflineQueueLimit = -1 // fail at once when the server is not there
	c, err := redisclient.New(opts)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, liveTimeout)
	defer cancel()
	if err := c.Ready(ctx); err != nil {
		return nil, fmt.Errorf("--from %s: server not reachable: %w", opts, err)
	}
	docs, err := redisclient.Raw("COMMAND", "DOCS").Do(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("--from %s: COMMAND DOCS: %w", opts, err)
	}
	info, err := redisclient.Raw("COMMAND", "INFO").Do(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("--from %s: COMMAND INFO: %w", opts, err)
	}
	return upstream.FromServer(opts.String(), treeOf(docs), treeOf(info))
}

// treeOf converts a generic reply to the plain Go tree upstream.FromServer
// reads: maps, lists, strings, integers and nil.
func treeOf(m resp.Message) any {
	switch m.Kind {
	case resp.KindMap:
		out := make(map[string]any, len(m.Elems)/2)
		for i := 0; i+1 < len(m.Elems); i += 2 {
			out[m.Elems[i].Str] = treeOf(m.Elems[i+1])
		}
		return out
	case resp.KindArray, resp.KindSet, resp.KindPush:
		out := make([]any, len(m.Elems))
		for i, e := range m.Elems {
			out[i] = treeOf(e)
		}
		return out
	case resp.KindInteger, resp.KindBoolean:
		return m.Int
	case resp.KindNull:
		return nil
	case resp.KindDouble:
		return m.Float
	}
	return m.Str
}
