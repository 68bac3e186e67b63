package integration

// Sharded pub/sub on a plain server, on both protocols: SSUBSCRIBE and
// SUNSUBSCRIBE through the Subscriber (the client's hooks see them),
// PUBSUB SHARDCHANNELS and PUBSUB SHARDNUMSUB through their typed builders
// and decoders, checked against what is subscribed, and SPUBLISH reaching
// the subscriber.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redkit-go/redkit/redisclient"
)

func TestShardedPubSubCommands(t *testing.T) {
	t.Parallel()
	srv := sharedServer(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			c := NewClient(t, srv.Options(proto))
			hook := &recordingHook{}
			opts := srv.Options(proto)
			opts.Hooks = append(opts.Hooks, hook)
			s := NewClient(t, opts).NewSubscriber(redisclient.SubscriberOptions{})
			defer s.Close()
			// The test's keys share a hash tag, so one SSUBSCRIBE takes both.
			news, sport, idle := key(t, "news"), key(t, "sport"), key(t, "idle")
			pattern := strings.TrimSuffix(news, "news") + "*"

			must(t, s.SSubscribe(ctx, news, sport), "SSUBSCRIBE")
			expect(t, "PUBSUB SHARDCHANNELS pattern", []string{news, sport}, sorted)(redisclient.PubsubShardChannels().Pattern(pattern).Do(ctx, c))
			all := value[[]string](t, "PUBSUB SHARDCHANNELS")(redisclient.PubsubShardChannels().Do(ctx, c))
			if !hasAll("\n"+strings.Join(all, "\n")+"\n", "\n"+news+"\n", "\n"+sport+"\n") {
				t.Errorf("PUBSUB SHARDCHANNELS: %q lacks %s or %s", all, news, sport)
			}
			expect(t, "PUBSUB SHARDNUMSUB", map[string]int64{news: 1, sport: 1, idle: 0})(
				redisclient.PubsubShardNumSub().ShardChannels(news, sport, idle).Do(ctx, c))
			expect(t, "PUBSUB SHARDNUMSUB without channels", map[string]int64{})(redisclient.PubsubShardNumSub().Do(ctx, c))
			expect(t, "SPUBLISH (receivers)", int64(1))(redisclient.SPublish(news, "hello").Do(ctx, c))
			if got, gaps := receive(s, news, "hello", 5*time.Second); !got {
				t.Errorf("no message on %s (gaps: %q)", news, gaps)
			}

			must(t, s.SUnsubscribe(ctx, news), "SUNSUBSCRIBE")
			expect(t, "PUBSUB SHARDNUMSUB after SUNSUBSCRIBE", map[string]int64{news: 0, sport: 1})(
				redisclient.PubsubShardNumSub().ShardChannels(news, sport).Do(ctx, c))
			expect(t, "PUBSUB SHARDCHANNELS after SUNSUBSCRIBE", []string{sport})(redisclient.PubsubShardChannels().Pattern(pattern).Do(ctx, c))
			expect(t, "SPUBLISH to no one", int64(0))(redisclient.SPublish(news, "lost").Do(ctx, c))
			must(t, s.SUnsubscribe(ctx), "SUNSUBSCRIBE of every channel")
			expect(t, "PUBSUB SHARDCHANNELS after SUNSUBSCRIBE of every channel", []string{})(
				redisclient.PubsubShardChannels().Pattern(pattern).Do(ctx, c))

			expect(t, "what the subscriber's client hooks saw", []string{"SSUBSCRIBE: ok", "SUNSUBSCRIBE: ok", "SUNSUBSCRIBE: ok"})(hook.take(), nil)
		})
	}
}
