package redisclient

// This file holds the reply types whose wire forms are not regular enough
// to be generated, with their hand-written decoders: geo locations, client
// info lines, cluster slots, replication roles and LCS matches.

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/redkit-go/redkit/redisclient/cmdimpl"
	"github.com/redkit-go/redkit/transport/resp"
)

// GeoLocation is one result of a geo query with WITHDIST, WITHHASH or
// WITHCOORD. Fields of options that were not given are zero.
type GeoLocation struct {
	Member string
	// Dist is the distance from the center, in the query's unit (WITHDIST).
	Dist float64
	// Hash is the raw geohash (WITHHASH).
	Hash int64
	// Longitude and Latitude are the member's position (WITHCOORD).
	Longitude, Latitude float64
}

// decodeGeoLocation decodes [member, dist?, hash?, [lon, lat]?]; which
// parts are present follows from their types.
func decodeGeoLocation(v resp.Value) (GeoLocation, error) {
	var g GeoLocation
	if cmdimpl.IsStringKind(v.Kind()) {
		g.Member = v.Text()
		return g, nil
	}
	x, err := cmdimpl.TupleStart(v, 1)
	if err != nil {
		return g, err
	}
	if g.Member, err = cmdimpl.DecodeString(x); err != nil {
		return g, cmdimpl.At(err, "member")
	}
	for x = x.Next(); x.Valid(); x = x.Next() {
		switch k := x.Kind(); {
		case k == resp.KindInteger:
			g.Hash = x.Int()
		case cmdimpl.IsStringKind(k) || k == resp.KindDouble:
			if g.Dist, err = cmdimpl.DecodeFloat(x); err != nil {
				return g, cmdimpl.At(err, "dist")
			}
		case k == resp.KindArray && x.Len() == 2:
			c := x.First()
			if g.Longitude, err = cmdimpl.DecodeFloat(c); err != nil {
				return g, cmdimpl.At(err, "longitude")
			}
			if g.Latitude, err = cmdimpl.DecodeFloat(c.Next()); err != nil {
				return g, cmdimpl.At(err, "latitude")
			}
		default:
			return g, cmdimpl.Unexpected(x, "distance, hash or coordinates")
		}
	}
	return g, nil
}

// ConnectedClient is one client connection as CLIENT INFO and CLIENT LIST
// describe it. Fields holds every field of the line, including ones newer
// than this type.
type ConnectedClient struct {
	ID        int64
	Addr      string
	LAddr     string
	FD        int64
	Name      string
	Age       time.Duration
	Idle      time.Duration
	Flags     string
	DB        int64
	Sub       int64
	PSub      int64
	SSub      int64
	Multi     int64
	Watch     int64
	QueryBuf  int64
	OutputMem int64
	TotalMem  int64
	Events    string
	Cmd       string
	User      string
	Redir     int64
	Resp      int64
	LibName   string
	LibVer    string
	Fields    map[string]string
}

// ConnectedClients is the reply of CLIENT LIST.
type ConnectedClients []ConnectedClient

// parseConnectedClient parses one "k=v k=v ..." line.
func parseConnectedClient(line string) (ConnectedClient, error) {
	c := ConnectedClient{Fields: map[string]string{}}
	for _, kv := range strings.Fields(line) {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return c, &UnexpectedReplyError{Want: "key=value", Got: strconv.Quote(kv)}
		}
		c.Fields[k] = val
		n, _ := strconv.ParseInt(val, 10, 64)
		switch k {
		case "id":
			c.ID = n
		case "addr":
			c.Addr = val
		case "laddr":
			c.LAddr = val
		case "fd":
			c.FD = n
		case "name":
			c.Name = val
		case "age":
			c.Age = time.Duration(n) * time.Second
		case "idle":
			c.Idle = time.Duration(n) * time.Second
		case "flags":
			c.Flags = val
		case "db":
			c.DB = n
		case "sub":
			c.Sub = n
		case "psub":
			c.PSub = n
		case "ssub":
			c.SSub = n
		case "multi":
			c.Multi = n
		case "watch":
			c.Watch = n
		case "qbuf":
			c.QueryBuf = n
		case "omem":
			c.OutputMem = n
		case "tot-mem":
			c.TotalMem = n
		case "events":
			c.Events = val
		case "cmd":
			c.Cmd = val
		case "user":
			c.User = val
		case "redir":
			c.Redir = n
		case "resp":
			c.Resp = n
		case "lib-name":
			c.LibName = val
		case "lib-ver":
			c.LibVer = val
		}
	}
	return c, nil
}

func decodeConnectedClient(v resp.Value) (ConnectedClient, error) {
	s, err := cmdimpl.DecodeString(v)
	if err != nil {
		return ConnectedClient{}, err
	}
	return parseConnectedClient(strings.TrimSpace(s))
}

func decodeConnectedClients(v resp.Value) (ConnectedClients, error) {
	s, err := cmdimpl.DecodeString(v)
	if err != nil {
		return nil, err
	}
	out := ConnectedClients{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		c, err := parseConnectedClient(line)
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ClusterSlot is one slot range of CLUSTER SLOTS and the nodes serving it;
// the first node is the master.
type ClusterSlot struct {
	Start, End int64
	Nodes      []ClusterSlotNode
}

// ClusterSlotNode is a node serving a slot range.
type ClusterSlotNode struct {
	// Host is the preferred endpoint (an IP, a hostname, or "?" when
	// unknown).
	Host string
	Port int64
	ID   string
	// Metadata holds the extra networking fields (hostname, ip).
	Metadata map[string]string
}

func decodeClusterSlot(v resp.Value) (ClusterSlot, error) {
	var s ClusterSlot
	x, err := cmdimpl.TupleStart(v, 3)
	if err != nil {
		return s, err
	}
	if s.Start, err = cmdimpl.DecodeInt(x); err != nil {
		return s, cmdimpl.At(err, "start")
	}
	x = x.Next()
	if s.End, err = cmdimpl.DecodeInt(x); err != nil {
		return s, cmdimpl.At(err, "end")
	}
	for x = x.Next(); x.Valid(); x = x.Next() {
		var n ClusterSlotNode
		y, err := cmdimpl.TupleStart(x, 2)
		if err != nil {
			return s, cmdimpl.At(err, "node")
		}
		if n.Host, err = cmdimpl.DecodeString(y); err != nil {
			return s, cmdimpl.At(err, "node.host")
		}
		y = y.Next()
		if n.Port, err = cmdimpl.DecodeInt(y); err != nil {
			return s, cmdimpl.At(err, "node.port")
		}
		if y = y.Next(); y.Valid() {
			if n.ID, err = cmdimpl.DecodeString(y); err != nil {
				return s, cmdimpl.At(err, "node.id")
			}
			if y = y.Next(); y.Valid() {
				if n.Metadata, err = cmdimpl.DecodeMap(y, cmdimpl.DecodeString, cmdimpl.DecodeString); err != nil {
					return s, cmdimpl.At(err, "node.metadata")
				}
			}
		}
		s.Nodes = append(s.Nodes, n)
	}
	return s, nil
}

// ReplicationRole is the reply of ROLE. Which fields are set depends on
// Role: "master", "slave" (a replica) or "sentinel".
type ReplicationRole struct {
	Role string
	// ReplicationOffset is the master's offset, or the replica's processed
	// offset.
	ReplicationOffset int64
	// Replicas are a master's connected replicas.
	Replicas []RoleReplica
	// MasterHost, MasterPort and State describe a replica's master link
	// ("connect", "connecting", "sync", "connected").
	MasterHost string
	MasterPort int64
	State      string
	// MasterNames are the masters a sentinel monitors.
	MasterNames []string
}

// RoleReplica is a replica in a master's ROLE reply.
type RoleReplica struct {
	Host   string
	Port   int64
	Offset int64
}

func decodeReplicationRole(v resp.Value) (ReplicationRole, error) {
	var r ReplicationRole
	x, err := cmdimpl.TupleStart(v, 2)
	if err != nil {
		return r, err
	}
	if r.Role, err = cmdimpl.DecodeString(x); err != nil {
		return r, cmdimpl.At(err, "role")
	}
	x = x.Next()
	switch r.Role {
	case "master":
		if r.ReplicationOffset, err = cmdimpl.DecodeInt(x); err != nil {
			return r, cmdimpl.At(err, "offset")
		}
		x = x.Next()
		for y := x.First(); x.Valid() && y.Valid(); y = y.Next() {
			var rep RoleReplica
			z, err := cmdimpl.TupleStart(y, 3)
			if err != nil {
				return r, cmdimpl.At(err, "replica")
			}
			rep.Host, _ = cmdimpl.DecodeString(z)
			if rep.Port, err = cmdimpl.DecodeInt(z.Next()); err != nil {
				return r, cmdimpl.At(err, "replica.port")
			}
			if rep.Offset, err = cmdimpl.DecodeInt(z.Next().Next()); err != nil {
				return r, cmdimpl.At(err, "replica.offset")
			}
			r.Replicas = append(r.Replicas, rep)
		}
	case "slave", "replica":
		if r.MasterHost, err = cmdimpl.DecodeString(x); err != nil {
			return r, cmdimpl.At(err, "master_host")
		}
		x = x.Next()
		if r.MasterPort, err = cmdimpl.DecodeInt(x); err != nil {
			return r, cmdimpl.At(err, "master_port")
		}
		x = x.Next()
		if r.State, err = cmdimpl.DecodeString(x); err != nil {
			return r, cmdimpl.At(err, "state")
		}
		x = x.Next()
		if r.ReplicationOffset, err = cmdimpl.DecodeInt(x); err != nil {
			return r, cmdimpl.At(err, "offset")
		}
	case "sentinel":
		if r.MasterNames, err = cmdimpl.DecodeSlice(x, cmdimpl.DecodeString); err != nil {
			return r, cmdimpl.At(err, "masters")
		}
	default:
		return r, cmdimpl.Unexpected(v, "master, slave or sentinel role")
	}
	return r, nil
}

// LCSMatches is the reply of LCS ... IDX: the matching ranges, longest
// first, and the length of the longest common subsequence.
type LCSMatches struct {
	Matches []LCSMatch
	Len     int64
}

// LCSMatch is one matching range in both strings; Len is set with
// WITHMATCHLEN.
type LCSMatch struct {
	A, B LCSRange
	Len  int64
}

// LCSRange is an inclusive range of positions.
type LCSRange struct{ Start, End int64 }

func decodeLCSRange(v resp.Value) (LCSRange, error) {
	x, err := cmdimpl.TupleStart(v, 2)
	if err != nil {
		return LCSRange{}, err
	}
	var r LCSRange
	if r.Start, err = cmdimpl.DecodeInt(x); err != nil {
		return r, err
	}
	r.End, err = cmdimpl.DecodeInt(x.Next())
	return r, err
}

func decodeLCSMatches(v resp.Value) (LCSMatches, error) {
	var m LCSMatches
	err := cmdimpl.EachPair(v, func(k, x resp.Value) error {
		var err error
		switch {
		case bytes.Equal(k.Bytes(), []byte("len")):
			m.Len, err = cmdimpl.DecodeInt(x)
		case bytes.Equal(k.Bytes(), []byte("matches")):
			m.Matches, err = cmdimpl.DecodeSlice(x, func(e resp.Value) (LCSMatch, error) {
				var lm LCSMatch
				y, err := cmdimpl.TupleStart(e, 2)
				if err != nil {
					return lm, err
				}
				if lm.A, err = decodeLCSRange(y); err != nil {
					return lm, cmdimpl.At(err, "a")
				}
				y = y.Next()
				if lm.B, err = decodeLCSRange(y); err != nil {
					return lm, cmdimpl.At(err, "b")
				}
				if y = y.Next(); y.Valid() {
					lm.Len, err = cmdimpl.DecodeInt(y)
				}
				return lm, err
			})
		}
		return err
	})
	return m, err
}

// decodeMembersAsGeoLocations decodes a list of member names, as a geo
// query without WITHCOORD, WITHDIST and WITHHASH replies, into
// GeoLocations that hold only Member. A With whose options set none of
// them chooses it from the options, not from the reply.
func decodeMembersAsGeoLocations(v resp.Value) ([]GeoLocation, error) {
	return cmdimpl.DecodeSlice(v, func(x resp.Value) (GeoLocation, error) {
		m, err := cmdimpl.DecodeString(x)
		return GeoLocation{Member: m}, err
	})
}

// decodeRankAsRankScore decodes ZRANK's reply without WITHSCORE, a rank
// or null, as a *RankScore with Score 0, nil for a missing member. A With
// whose options leave WITHSCORE out chooses it.
func decodeRankAsRankScore(v resp.Value) (*RankScore, error) {
	n, err := cmdimpl.DecodeOpt(v, cmdimpl.DecodeInt)
	if err != nil || !n.Valid {
		return nil, err
	}
	return &RankScore{Rank: n.Value}, nil
}

// decodeIDsAsXMessages decodes XCLAIM's reply with JUSTID, a list of
// entry IDs, as XMessages whose Fields are nil. A With whose options set
// JustID chooses it.
func decodeIDsAsXMessages(v resp.Value) ([]XMessage, error) {
	return cmdimpl.DecodeSlice(v, func(x resp.Value) (XMessage, error) {
		id, err := cmdimpl.DecodeString(x)
		return XMessage{ID: id}, err
	})
}

// decodeStreamsAsClaimStreams decodes XREADGROUP's reply without CLAIM as
// XClaimStreams whose entries have Idle and Deliveries 0. A With whose
// options leave Claim unset chooses it.
func decodeStreamsAsClaimStreams(v resp.Value) ([]XClaimStream, error) {
	streams, err := decodeNullSliceXStream(v)
	if streams == nil || err != nil {
		return nil, err
	}
	out := make([]XClaimStream, len(streams))
	for i, st := range streams {
		out[i] = XClaimStream{Key: st.Key, Messages: make([]XClaimMessage, len(st.Messages))}
		for j, m := range st.Messages {
			out[i].Messages[j] = XClaimMessage{ID: m.ID, Fields: m.Fields}
		}
	}
	return out, nil
}

// decodeXAutoClaimIDsAsReply decodes XAUTOCLAIM's reply with JUSTID as an
// XAutoClaimReply whose Messages hold only their IDs. A With whose
// options set JustID chooses it.
func decodeXAutoClaimIDsAsReply(v resp.Value) (XAutoClaimReply, error) {
	ids, err := decodeXAutoClaimIDs(v)
	if err != nil {
		return XAutoClaimReply{}, err
	}
	r := XAutoClaimReply{Next: ids.Next, Deleted: ids.Deleted}
	if ids.IDs != nil {
		r.Messages = make([]XMessage, len(ids.IDs))
		for i, id := range ids.IDs {
			r.Messages[i].ID = id
		}
	}
	return r, nil
}
