package integration

// The deprecated radius queries (GEORADIUS, GEORADIUS_RO,
// GEORADIUSBYMEMBER, GEORADIUSBYMEMBER_RO, with and without STORE) and
// GEOSEARCHSTORE, on RESP2 and RESP3, against the documentation's Sicily
// examples.

import (
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/redkit-go/redkit/redisclient"
)

func TestGeoRadiusAndSearchStore(t *testing.T) {
	protocols(t, func(t *testing.T, c *redisclient.Client) {
		ctx := testCtx(t)
		g := key(t, "Sicily")
		approx := cmpopts.EquateApprox(0, 1e-4)
		expect(t, "GEOADD", int64(3))(redisclient.GeoAdd(g, 13.361389, 38.115556, "Palermo").
			LongitudeLatitudeMember(15.087269, 37.502669, "Catania").
			LongitudeLatitudeMember(13.583333, 37.316667, "Agrigento").Do(ctx, c))

		// GEORADIUS and its read-only twin.
		expect(t, "GEORADIUS ASC", []string{"Catania", "Agrigento", "Palermo"})(
			redisclient.GeoRadius(g, 15, 37, 200, redisclient.GeoUnitKM).Asc().Do(ctx, c))
		expect(t, "GEORADIUS WITHDIST ASC", []redisclient.GeoLocation{
			{Member: "Catania", Dist: 56.4413}, {Member: "Agrigento", Dist: 130.4235}, {Member: "Palermo", Dist: 190.4424},
		}, approx)(redisclient.GeoRadius(g, 15, 37, 200, redisclient.GeoUnitKM).WithDist().Asc().Do(ctx, c))
		expect(t, "GEORADIUS WITHCOORD COUNT 1 ASC", []redisclient.GeoLocation{
			{Member: "Catania", Longitude: 15.08726745843887329, Latitude: 37.50266842333162032},
		}, approx)(redisclient.GeoRadius(g, 15, 37, 200, redisclient.GeoUnitKM).WithCoord().Count(1).Asc().Do(ctx, c))
		expect(t, "GEORADIUS nothing in range", []string{})(
			redisclient.GeoRadius(g, 0, 0, 1, redisclient.GeoUnitKM).Do(ctx, c))
		expect(t, "GEORADIUS_RO DESC", []string{"Palermo", "Agrigento", "Catania"})(
			redisclient.GeoRadiusRO(g, 15, 37, 200, redisclient.GeoUnitKM).Desc().Do(ctx, c))
		expect(t, "GEORADIUS_RO With(WithDist, Count 2, ASC)", []redisclient.GeoLocation{
			{Member: "Catania", Dist: 56.4413}, {Member: "Agrigento", Dist: 130.4235},
		}, approx)(redisclient.GeoRadiusRO(g, 15, 37, 200, redisclient.GeoUnitKM).With(redisclient.GeoRadiusROOptions{
			WithDist: true, Count: some(redisclient.GeoRadiusROCount{Count: 2}), Order: redisclient.SortOrderAsc,
		}).Do(ctx, c))

		// STORE and STOREDIST write a sorted set: geohash scores, or
		// distances.
		byHash, byDist := key(t, "stored"), key(t, "dists")
		expect(t, "GEORADIUS STORE", int64(2))(redisclient.GeoRadius(g, 15, 37, 150, redisclient.GeoUnitKM).Store(byHash).Do(ctx, c))
		expect(t, "stored members", []string{"Agrigento", "Catania"}, sorted)(redisclient.ZRange(byHash, "0", "-1").Do(ctx, c))
		expect(t, "GEORADIUS STOREDIST ASC", int64(3))(redisclient.GeoRadius(g, 15, 37, 200, redisclient.GeoUnitKM).Asc().StoreDist(byDist).Do(ctx, c))
		expect(t, "stored distances", []redisclient.ZMember{
			{Member: "Catania", Score: 56.4413}, {Member: "Agrigento", Score: 130.4235}, {Member: "Palermo", Score: 190.4424},
		}, approx)(redisclient.ZRange(byDist, "0", "-1").WithScores().Do(ctx, c))

		// GEORADIUSBYMEMBER and its read-only twin: the documentation's
		// example centred on Agrigento.
		expect(t, "GEORADIUSBYMEMBER ASC", []string{"Agrigento", "Palermo"})(
			redisclient.GeoRadiusByMember(g, "Agrigento", 100, redisclient.GeoUnitKM).Asc().Do(ctx, c))
		expect(t, "GEORADIUSBYMEMBER WITHDIST ASC", []redisclient.GeoLocation{
			{Member: "Agrigento", Dist: 0}, {Member: "Palermo", Dist: 90.9778},
		}, approx)(redisclient.GeoRadiusByMember(g, "Agrigento", 100, redisclient.GeoUnitKM).WithDist().Asc().Do(ctx, c))
		byMember := key(t, "bymember")
		expect(t, "GEORADIUSBYMEMBER STORE", int64(2))(
			redisclient.GeoRadiusByMember(g, "Agrigento", 100, redisclient.GeoUnitKM).Store(byMember).Do(ctx, c))
		expect(t, "GEORADIUSBYMEMBER stored", []string{"Agrigento", "Palermo"}, sorted)(redisclient.ZRange(byMember, "0", "-1").Do(ctx, c))
		serverError[[]string](t, "GEORADIUSBYMEMBER of a missing member", "ERR")(
			redisclient.GeoRadiusByMember(g, "Atlantis", 100, redisclient.GeoUnitKM).Do(ctx, c))
		expect(t, "GEORADIUSBYMEMBER_RO DESC", []string{"Palermo", "Agrigento"})(
			redisclient.GeoRadiusByMemberRO(g, "Agrigento", 100, redisclient.GeoUnitKM).Desc().Do(ctx, c))
		expect(t, "GEORADIUSBYMEMBER_RO WITHCOORD WITHDIST ASC", []redisclient.GeoLocation{
			{Member: "Agrigento", Dist: 0, Longitude: 13.58333140611648560, Latitude: 37.31666804993816555},
			{Member: "Palermo", Dist: 90.9778, Longitude: 13.36138933897018433, Latitude: 38.11555639549629859},
		}, approx)(redisclient.GeoRadiusByMemberRO(g, "Agrigento", 100, redisclient.GeoUnitKM).WithCoord().WithDist().Asc().Do(ctx, c))

		// GEOSEARCHSTORE: members, then distances.
		found, foundDist := key(t, "found"), key(t, "founddist")
		expect(t, "GEOSEARCHSTORE BYRADIUS", int64(2))(redisclient.GeoSearchStore(found, g,
			redisclient.GeoSearchFromLonLat(15, 37), redisclient.GeoSearchByRadius(150, redisclient.GeoUnitKM)).Do(ctx, c))
		expect(t, "GEOSEARCHSTORE result", []string{"Agrigento", "Catania"}, sorted)(redisclient.ZRange(found, "0", "-1").Do(ctx, c))
		expect(t, "GEOSEARCHSTORE FROMMEMBER BYBOX ASC COUNT 1 STOREDIST", int64(1))(redisclient.GeoSearchStore(foundDist, g,
			redisclient.GeoSearchFromMember("Palermo"), redisclient.GeoSearchByBox(400, 400, redisclient.GeoUnitKM)).
			With(redisclient.GeoSearchStoreOptions{Order: redisclient.SortOrderAsc, Count: some(redisclient.GeoSearchStoreCount{Count: 1}), StoreDist: true}).Do(ctx, c))
		expect(t, "GEOSEARCHSTORE STOREDIST result", []redisclient.ZMember{{Member: "Palermo", Score: 0}})(
			redisclient.ZRange(foundDist, "0", "-1").WithScores().Do(ctx, c))
		expect(t, "GEOSEARCHSTORE nothing found", int64(0))(redisclient.GeoSearchStore(found, g,
			redisclient.GeoSearchFromLonLat(0, 0), redisclient.GeoSearchByRadius(1, redisclient.GeoUnitKM)).Do(ctx, c))
		expect(t, "GEOSEARCHSTORE of nothing deletes the destination", int64(0))(redisclient.Exists(found).Do(ctx, c))
	})
}
