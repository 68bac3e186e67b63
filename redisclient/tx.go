package redisclient

// This file holds transactions: MULTI/EXEC with typed futures, EXECABORT
// with the errors of the queued commands, and Watch, which runs a function
// on a dedicated connection with WATCH and retries it on conflicts.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport"
	"github.com/redkit-go/redkit/transport/resp"
)

// ErrTxConflict is returned when a watched key changed before EXEC (Watch
// has retried up to Options.MaxWatchRetries times).
var ErrTxConflict = errors.New("redisclient: transaction aborted: a watched key changed")

// TxAbortError is returned when the server refused to queue a command of
// the transaction (EXECABORT), or when the client knows the server does
// not accept a command as built (*transport.UnsupportedServerError; then
// nothing was sent): nothing ran.
type TxAbortError struct {
	// Err is the EXECABORT error, or ErrTxUnsupported.
	Err error
	// Queued holds, by position, the error of each queued command (nil for
	// the commands that were accepted).
	Queued []error
}

// ErrTxUnsupported is the Err of a TxAbortError for a transaction not sent
// because the server does not accept one of its commands as built.
var ErrTxUnsupported = errors.New("not sent: the server does not accept every command as built")

func (e *TxAbortError) Error() string {
	var msgs []string
	for i, err := range e.Queued {
		if err != nil {
			msgs = append(msgs, fmt.Sprintf("command %d: %v", i, err))
		}
	}
	return fmt.Sprintf("redisclient: transaction discarded (%v): %s", e.Err, strings.Join(msgs, "; "))
}

// Unwrap returns Err and the errors of the refused commands (errors.Is and
// errors.As see them all).
func (e *TxAbortError) Unwrap() []error {
	errs := []error{e.Err}
	for _, err := range e.Queued {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Tx is a transaction: commands queued with Queue run atomically between
// MULTI and EXEC. Inside Watch, commands run with Do execute at once on the
// transaction's connection (to read the watched keys).
type Tx struct {
	c    *Client
	conn *transport.Conn // set inside Watch
	cmds []*transport.Command
	rs   []cmdimpl.Resolver
	fs   cmdimpl.FutureSlabs
}

// Futures is for generated Queue methods (cmdimpl.Queuer): the blocks the
// transaction's futures come from.
func (tx *Tx) Futures() *cmdimpl.FutureSlabs { return &tx.fs }

// NewCommand is for generated Queue methods (cmdimpl.Queuer): an empty
// command to queue.
func (tx *Tx) NewCommand() *transport.Command { return transport.AcquireCommand() }

// TxPipeline returns a transaction without WATCH; Exec runs it.
func (c *Client) TxPipeline() *Tx { return &Tx{c: c} }

// Enqueue is for generated Queue methods (cmdimpl.Queuer): it adds cmd,
// which r resolves once the transaction has run.
func (tx *Tx) Enqueue(cmd *transport.Command, r cmdimpl.Resolver) {
	tx.c.prepare(cmd)
	tx.cmds = append(tx.cmds, cmd)
	tx.rs = append(tx.rs, r)
}

// Len returns the number of queued commands.
func (tx *Tx) Len() int { return len(tx.cmds) }

// errTxNoConn is returned by Do outside Watch.
var errTxNoConn = errors.New("redisclient: Tx.Do runs commands only inside Watch; queue them with Queue")

// Do runs a command at once on the transaction's connection (inside Watch),
// so it sees the watched keys (Doer). Once the client is closed it fails
// with ErrClientClosed.
func (tx *Tx) Do(ctx context.Context, cmd *transport.Command) error {
	if tx.conn == nil {
		return errTxNoConn
	}
	if err := tx.c.checkOpen(); err != nil {
		return err
	}
	tx.c.prepare(cmd)
	return tx.c.send(ctx, tx.conn, cmd)
}

// DoMulti runs commands at once on the transaction's connection (Doer).
func (tx *Tx) DoMulti(ctx context.Context, cmds []*transport.Command) error {
	if tx.conn == nil {
		return errTxNoConn
	}
	if err := tx.c.checkOpen(); err != nil {
		return err
	}
	for _, cmd := range cmds {
		tx.c.prepare(cmd)
	}
	return tx.c.sendMulti(ctx, tx.conn, cmds)
}

// Exec runs a TxPipeline's queued commands in MULTI/EXEC on a dedicated
// connection and resolves their futures.
func (tx *Tx) Exec(ctx context.Context) error {
	if len(tx.cmds) == 0 {
		return nil
	}
	conn, err := tx.c.DedicatedConn(ctx, tx.slot())
	if err != nil {
		tx.fail(err)
		return err
	}
	defer conn.Release()
	return tx.exec(ctx, conn)
}

// slot is the slot of the queued commands' keys (-1 when none).
func (tx *Tx) slot() int {
	for _, cmd := range tx.cmds {
		if s, ok := cmd.Slot(); ok {
			return int(s)
		}
	}
	return -1
}

// fail resolves every queued command with err.
func (tx *Tx) fail(err error) {
	for i, cmd := range tx.cmds {
		tx.rs[i].Resolve(cmd, resp.Value{}, err)
		cmd.Release()
	}
	tx.cmds, tx.rs = nil, nil
}

var (
	multiArgs = []transport.Arg{transport.String("MULTI")}
	execArgs  = []transport.Arg{transport.String("EXEC")}
)

// exec sends MULTI, the queued commands and EXEC in one write and
// resolves the futures from EXEC's reply.
func (tx *Tx) exec(ctx context.Context, conn *transport.Conn) error {
	if err := tx.refuseUnsupported(conn.Server()); err != nil {
		return err
	}
	multi := transport.NewCommand(transport.Meta{Flags: transport.FlagTransaction}, multiArgs...)
	exec := transport.NewCommand(transport.Meta{Flags: transport.FlagTransaction}, execArgs...)
	// Scripts run with EVALSHA inside MULTI: load them first, in the same
	// write, so that they are there.
	var loads []*transport.Command
	loaded := map[string]bool{}
	for _, r := range tx.rs {
		if s, ok := r.(sourcer); ok && !loaded[s.source()] {
			loaded[s.source()] = true
			loads = append(loads, transport.NewCommand(transport.Meta{}, transport.String("SCRIPT"), transport.String("LOAD"), transport.String(s.source())))
		}
	}
	all := make([]*transport.Command, 0, len(loads)+len(tx.cmds)+2)
	all = append(append(append(append(all, loads...), multi), tx.cmds...), exec)
	defer func() {
		for _, l := range loads {
			l.Release()
		}
		multi.Release()
		exec.Release()
		tx.cmds, tx.rs = nil, nil
	}()
	// The queued writes drop their keys' cached replies before MULTI goes
	// out and again once EXEC is answered (or the batch failed).
	if err := tx.c.sendMulti(ctx, conn, all); err != nil {
		tx.fail(err)
		return err
	}
	if err := multi.Reply().Err(); err != nil {
		tx.fail(err)
		return err
	}
	execReply := exec.Reply()
	if err := execReply.Err(); err != nil {
		// EXECABORT: report why each command was refused.
		abort := &TxAbortError{Err: err, Queued: make([]error, len(tx.cmds))}
		for i, cmd := range tx.cmds {
			qerr := cmd.Reply().Err()
			abort.Queued[i] = qerr
			if qerr == nil {
				qerr = err
			}
			tx.rs[i].Resolve(cmd, resp.Value{}, qerr)
			cmd.Release()
		}
		return abort
	}
	if execReply.Kind() == resp.KindNull {
		tx.fail(ErrTxConflict)
		return ErrTxConflict
	}
	if execReply.Len() != len(tx.cmds) {
		err := &ReplyError{Command: "EXEC", Err: fmt.Errorf("%d results for %d commands", execReply.Len(), len(tx.cmds))}
		conn.Close()
		tx.fail(err)
		return err
	}
	var first error
	v := execReply.First()
	for i, cmd := range tx.cmds {
		tx.rs[i].Resolve(cmd, v, nil)
		if first == nil {
			first = futureErr(tx.rs[i])
		}
		cmd.Release()
		v = v.Next()
	}
	return first
}

// refuseUnsupported resolves the transaction, unsent, when the server does
// not accept one of its commands as built, as the server itself discards
// a transaction with a command it refuses: each such command with its
// *transport.UnsupportedServerError, the others with the returned
// *TxAbortError. It returns nil when the server accepts them all.
func (tx *Tx) refuseUnsupported(server transport.ServerInfo) error {
	var abort *TxAbortError
	for i, cmd := range tx.cmds {
		if err := server.Check(cmd); err != nil {
			if abort == nil {
				abort = &TxAbortError{Err: ErrTxUnsupported, Queued: make([]error, len(tx.cmds))}
			}
			abort.Queued[i] = err
		}
	}
	if abort == nil {
		return nil
	}
	for i, cmd := range tx.cmds {
		var qerr error = abort
		if err := abort.Queued[i]; err != nil {
			qerr = err
		}
		tx.rs[i].Resolve(cmd, resp.Value{}, qerr)
		cmd.Release()
	}
	tx.cmds, tx.rs = nil, nil
	return abort
}

// Watch runs fn in a transaction guarded by WATCH on keys, on a dedicated
// connection: fn reads with Do (on the transaction) and queues writes with
// Queue; the writes then run in MULTI/EXEC. When a watched key changed
// meanwhile, fn runs again, up to Options.MaxWatchRetries times, after
// which Watch returns ErrTxConflict. An error from fn aborts without
// running anything. When the client closes meanwhile, fn's commands fail
// with ErrClientClosed, nothing runs, Watch returns ErrClientClosed and
// the connection closes.
func (c *Client) Watch(ctx context.Context, fn func(tx *Tx) error, keys ...string) error {
	if len(keys) == 0 {
		return errors.New("redisclient: Watch needs at least one key")
	}
	retries := c.opts.MaxWatchRetries
	if retries <= 0 {
		retries = DefaultMaxWatchRetries
	}
	watch := Watch(keys...)
	for attempt := 0; ; attempt++ {
		cmd, err := watch.Command()
		if err != nil {
			return err
		}
		c.prepare(cmd)
		slot := -1
		if s, ok := cmd.Slot(); ok {
			slot = int(s)
		}
		if cmd.Flags()&transport.FlagCrossSlot != 0 {
			cmd.Release()
			return errors.New("redisclient: Watch keys must be in one hash slot")
		}
		conn, err := c.DedicatedConn(ctx, slot)
		if err != nil {
			cmd.Release()
			return err
		}
		err = c.observedDo(ctx, conn, cmd)
		if err == nil {
			err = cmd.Reply().Err()
		}
		cmd.Release()
		if err != nil {
			conn.Release()
			return err
		}
		err = c.watchAttempt(ctx, conn, fn)
		conn.Release()
		if !errors.Is(err, ErrTxConflict) || attempt >= retries {
			return err
		}
	}
}

// watchAttempt runs fn and EXEC on a connection with WATCH in place.
func (c *Client) watchAttempt(ctx context.Context, conn *transport.Conn, fn func(tx *Tx) error) error {
	tx := &Tx{c: c, conn: conn}
	if err := fn(tx); err != nil {
		for _, cmd := range tx.cmds {
			cmd.Release()
		}
		c.unwatch(ctx, conn)
		return err
	}
	if len(tx.cmds) == 0 {
		c.unwatch(ctx, conn)
		return nil
	}
	if err := c.checkOpen(); err != nil {
		// Closed while fn ran: the writes must not run after Close.
		tx.fail(err)
		return err
	}
	return tx.exec(ctx, conn)
}

// unwatch clears WATCH before the connection goes back to the pool; a
// connection that cannot, or that a closed client would only close, is
// closed instead.
func (c *Client) unwatch(ctx context.Context, conn *transport.Conn) {
	if c.closed.Load() {
		conn.Close()
		return
	}
	cmd := transport.NewCommand(transport.Meta{Flags: transport.FlagTransaction}, transport.String("UNWATCH"))
	if err := c.observedDo(ctx, conn, cmd); err != nil || cmd.Reply().Err() != nil {
		conn.Close()
	}
	cmd.Release()
}
