package cluster

// This file reads the cluster's topology from CLUSTER SHARDS (Redis 7+)
// or CLUSTER SLOTS, in RESP2 or RESP3 form.

import (
	"fmt"
	"net"
	"strconv"

	"github.com/redkit-go/redkit/transport/resp"
)

// NodeInfo describes one node of the topology.
type NodeInfo struct {
	// ID is the node's cluster ID.
	ID string
	// Addr is the address the router dials (after Config.MapAddr).
	Addr string
	// Announced is the address the node announces (endpoint:port).
	Announced string
	// Host is the announced host name or IP (for TLS server names).
	Host string
	// Replica is false for masters.
	Replica bool
	// Healthy is false for nodes the cluster reports failed or loading.
	Healthy bool
}

// ShardInfo is a master, its replicas and the slot ranges they serve.
type ShardInfo struct {
	Master   NodeInfo
	Replicas []NodeInfo
	// Slots are inclusive ranges: [start0, end0, start1, end1, ...].
	Slots []int
}

// fields walks a map given as a RESP3 map or a RESP2 flat array.
func fields(v resp.Value, f func(key string, val resp.Value) error) error {
	if v.Kind() != resp.KindMap && v.Kind() != resp.KindArray {
		return fmt.Errorf("want a map, got %s", v)
	}
	for k := v.First(); k.Valid(); k = k.Next().Next() {
		if err := f(k.Text(), k.Next()); err != nil {
			return err
		}
	}
	return nil
}

// parseShards reads a CLUSTER SHARDS reply. With tls, nodes are reached
// on their "tls-port" (the "port" field is then the plain-text port, or
// absent).
func parseShards(v resp.Value, mapAddr func(string) string, tls bool) ([]ShardInfo, error) {
	if err := v.Err(); err != nil {
		return nil, err
	}
	var shards []ShardInfo
	for s := v.First(); s.Valid(); s = s.Next() {
		var sh ShardInfo
		var nodes []NodeInfo
		err := fields(s, func(key string, val resp.Value) error {
			switch key {
			case "slots":
				for x := val.First(); x.Valid(); x = x.Next() {
					n, err := intOf(x)
					if err != nil {
						return fmt.Errorf("slots: %w", err)
					}
					sh.Slots = append(sh.Slots, int(n))
				}
			case "nodes":
				for x := val.First(); x.Valid(); x = x.Next() {
					n, err := parseShardNode(x, mapAddr, tls)
					if err != nil {
						return err
					}
					nodes = append(nodes, n)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("CLUSTER SHARDS: %w", err)
		}
		if len(sh.Slots)%2 != 0 {
			return nil, fmt.Errorf("CLUSTER SHARDS: odd slot range list %v", sh.Slots)
		}
		master := false
		for _, n := range nodes {
			if !n.Replica {
				sh.Master, master = n, true
			} else {
				sh.Replicas = append(sh.Replicas, n)
			}
		}
		if !master || len(sh.Slots) == 0 {
			continue // a shard without slots or without a master serves nothing
		}
		shards = append(shards, sh)
	}
	return shards, nil
}

func parseShardNode(v resp.Value, mapAddr func(string) string, tls bool) (NodeInfo, error) {
	var n NodeInfo
	var ip, endpoint, hostname string
	var port, tlsPort int64
	n.Healthy = true
	err := fields(v, func(key string, val resp.Value) error {
		switch key {
		case "id":
			n.ID = val.Text()
		case "ip":
			ip = val.Text()
		case "endpoint":
			endpoint = val.Text()
		case "hostname":
			hostname = val.Text()
		case "port":
			p, err := intOf(val)
			if err != nil {
				return fmt.Errorf("port: %w", err)
			}
			port = p
		case "tls-port":
			p, err := intOf(val)
			if err != nil {
				return fmt.Errorf("tls-port: %w", err)
			}
			tlsPort = p
		case "role":
			n.Replica = val.Text() != "master"
		case "health":
			n.Healthy = val.Text() == "online"
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	host := endpoint
	if host == "" || host == "?" {
		host = hostname
	}
	if host == "" || host == "?" {
		host = ip
	}
	if (tls && tlsPort > 0) || port == 0 {
		port = tlsPort
	}
	n.Host = host
	n.Announced = net.JoinHostPort(host, strconv.FormatInt(port, 10))
	n.Addr = mapAddr(n.Announced)
	return n, nil
}

func intOf(v resp.Value) (int64, error) {
	if v.Kind() == resp.KindInteger {
		return v.Int(), nil
	}
	return resp.ParseInt(v.Bytes())
}

// parseSlots reads a CLUSTER SLOTS reply (servers before 7).
func parseSlots(v resp.Value, mapAddr func(string) string) ([]ShardInfo, error) {
	if err := v.Err(); err != nil {
		return nil, err
	}
	byMaster := map[string]*ShardInfo{}
	var order []string
	for r := v.First(); r.Valid(); r = r.Next() {
		start, err := intOf(r.First())
		if err != nil {
			return nil, fmt.Errorf("CLUSTER SLOTS: start: %w", err)
		}
		end, err := intOf(r.First().Next())
		if err != nil {
			return nil, fmt.Errorf("CLUSTER SLOTS: end: %w", err)
		}
		var nodes []NodeInfo
		for x := r.First().Next().Next(); x.Valid(); x = x.Next() {
			// The first element is the preferred endpoint, where the
			// server wants clients to connect (an IP, a hostname, or null
			// or "?" when unknown); Redis 7 adds a map of the other
			// endpoints (the "hostname" when the preferred one is the IP,
			// the "ip" when it is the hostname).
			endpoint := x.First().Text()
			if x.First().Kind() == resp.KindNull {
				endpoint = ""
			}
			port, err := intOf(x.First().Next())
			if err != nil {
				return nil, fmt.Errorf("CLUSTER SLOTS: port: %w", err)
			}
			n := NodeInfo{Host: endpoint, Healthy: true, Replica: len(nodes) > 0}
			var ip, hostname string
			if id := x.First().Next().Next(); id.Valid() {
				n.ID = id.Text()
				if meta := id.Next(); meta.Valid() {
					fields(meta, func(k string, val resp.Value) error {
						switch k {
						case "hostname":
							hostname = val.Text()
						case "ip":
							ip = val.Text()
						}
						return nil
					})
				}
			}
			if n.Host == "" || n.Host == "?" {
				n.Host = hostname
				if n.Host == "" {
					n.Host = ip
				}
			}
			n.Announced = net.JoinHostPort(n.Host, strconv.FormatInt(port, 10))
			n.Addr = mapAddr(n.Announced)
			nodes = append(nodes, n)
		}
		if len(nodes) == 0 {
			continue
		}
		sh, ok := byMaster[nodes[0].Addr]
		if !ok {
			sh = &ShardInfo{Master: nodes[0], Replicas: nodes[1:]}
			byMaster[nodes[0].Addr] = sh
			order = append(order, nodes[0].Addr)
		}
		sh.Slots = append(sh.Slots, int(start), int(end))
	}
	shards := make([]ShardInfo, 0, len(order))
	for _, a := range order {
		shards = append(shards, *byMaster[a])
	}
	return shards, nil
}
