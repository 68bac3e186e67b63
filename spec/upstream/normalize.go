package upstream

// This file reads the command-level fields that the three input forms share
// and normalizes them: names, flags, ACL categories, tips, history, module
// and group. See the package documentation for the rules.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/redkit-go/redkit/spec"
)

// format is the form an input comes in.
type format int

const (
	formatPublished format = iota // redis-doc commands.json, redis/docs data/commands_*.json
	formatSource                  // redis/redis src/commands/*.json
	formatLive                    // COMMAND DOCS and COMMAND INFO replies
)

// fieldSet records which facts a source gives for a command, so that Merge
// overrides only those.
type fieldSet uint32

const (
	hasModule fieldSet = 1 << iota
	hasGroup
	hasSince
	hasComplexity
	hasArity
	hasFlags
	hasACL
	hasTips
	hasDocFlags
	hasDeprecatedSince
	hasReplacedBy
	hasHistory
	hasKeySpecs
	hasArguments
	hasReply
)

// commonFields are the command fields every form may have.
var commonFields = []string{
	"summary", "description", "since", "group", "complexity",
	"deprecated_since", "replaced_by", "doc_flags", "history", "arguments",
}

// fieldsOf lists the command fields each form accepts; any other field is
// an error. summary and description are prose and are dropped; function,
// get_keys_function and (Valkey's) get_dbid_args name C functions and are
// dropped too.
var fieldsOf = map[format]map[string]bool{
	formatPublished: fieldNames(commonFields, "arity", "command_flags", "acl_categories", "hints", "command_tips", "key_specs", "module"),
	formatSource:    fieldNames(commonFields, "arity", "command_flags", "acl_categories", "command_tips", "key_specs", "container", "function", "get_keys_function", "get_dbid_args", "reply_schema"),
	formatLive:      fieldNames(commonFields, "module", "subcommands", "reply_schema"),
}

func fieldNames(base []string, more ...string) map[string]bool {
	m := map[string]bool{}
	for _, f := range append(append([]string{}, base...), more...) {
		m[f] = true
	}
	return m
}

// cmdParser reads the fields of one command. Its errors name the file, the
// command and the field.
type cmdParser struct {
	file   string
	format format
	cmd    string // full normalized name, for errors
	prefix string // prefix of field paths ("docs." for live replies)
}

func (p *cmdParser) errf(path, msg string, args ...any) error {
	field := p.prefix + path
	if path == "" {
		field = strings.TrimSuffix(p.prefix, ".")
	}
	return &Error{File: p.file, Command: p.cmd, Field: field, Msg: fmt.Sprintf(msg, args...)}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func (p *cmdParser) str(v any, path string) (string, error) {
	s, ok := asString(v)
	if !ok {
		return "", p.errf(path, "want a string, got %s", typeName(v))
	}
	return s, nil
}

func (p *cmdParser) integer(v any, path string) (int, error) {
	n, ok := asInt(v)
	if !ok || n != int64(int(n)) {
		return 0, p.errf(path, "want an integer, got %s", typeName(v))
	}
	return int(n), nil
}

// boolean reads a boolean. The strings "true" and "false" are taken as
// booleans too: Valkey 9.1.2's client-capa.json gives "multiple": "true",
// which the server's own code generator reads as true.
func (p *cmdParser) boolean(v any, path string) (bool, error) {
	b, ok := asBool(v)
	if s, isStr := asString(v); isStr && (s == "true" || s == "false") {
		b, ok = s == "true", true
	}
	if !ok {
		return false, p.errf(path, "want a boolean, got %s", typeName(v))
	}
	return b, nil
}

func (p *cmdParser) list(v any, path string) ([]any, error) {
	l, ok := asList(v)
	if !ok {
		return nil, p.errf(path, "want an array, got %s", typeName(v))
	}
	return l, nil
}

func (p *cmdParser) obj(v any, path string) (*object, error) {
	o, ok := asObject(v, p.format == formatLive)
	if !ok {
		return nil, p.errf(path, "want an object, got %s", typeName(v))
	}
	return o, nil
}

func (p *cmdParser) strList(v any, path string) ([]string, error) {
	l, err := p.list(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(l))
	for i, x := range l {
		s, err := p.str(x, index(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// words reads a list of words (flags, categories), normalizes each with
// norm, and returns them sorted without duplicates. Empty words are errors.
func (p *cmdParser) words(v any, path string, norm func(string) string) ([]string, error) {
	l, err := p.strList(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(l))
	for i, w := range l {
		n := norm(strings.TrimSpace(w))
		if n == "" {
			return nil, p.errf(index(path, i), "empty")
		}
		out = append(out, n)
	}
	return sortedSet(out), nil
}

func sortedSet(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func lowerWord(s string) string { return strings.ToLower(s) }

func aclWord(s string) string { return strings.ToLower(strings.TrimPrefix(s, "@")) }

// draft is a command being read from one source: its normalized facts and
// which of them the source gives.
type draft struct {
	p   *cmdParser
	cmd *spec.Command
	has fieldSet

	group     string // as given, before normalization
	hasGroup  bool
	module    string // as given
	hasModule bool

	args     any // raw arguments, read once the key specs are known
	hasArgs  bool
	argsPath string
}

func newDraft(p *cmdParser, name, container, file string) *draft {
	return &draft{p: p, cmd: &spec.Command{Name: name, Container: container, Sources: []string{file}}}
}

// readFields reads the fields of a command object. The caller handles
// "container" and "subcommands" itself.
func (d *draft) readFields(o *object) error {
	p := d.p
	allowed := fieldsOf[p.format]
	c := d.cmd
	for _, k := range o.keys {
		v := o.vals[k]
		if !allowed[k] {
			return p.errf(k, "unknown field")
		}
		var err error
		switch k {
		case "summary", "description", "function", "get_keys_function", "get_dbid_args":
			_, err = p.str(v, k) // prose or C names: dropped
		case "container", "subcommands":
			// read by the caller
		case "since":
			c.Since, err = p.str(v, k)
			d.setIf(c.Since != "", hasSince)
		case "group":
			d.group, err = p.str(v, k)
			d.hasGroup = true
		case "module":
			d.module, err = p.str(v, k)
			d.hasModule = true
		case "complexity":
			var s string
			s, err = p.str(v, k)
			c.Complexity = normComplexity(s)
			d.setIf(c.Complexity != "", hasComplexity)
		case "arity":
			c.Arity, err = p.integer(v, k)
			if err == nil && c.Arity == 0 {
				err = p.errf(k, "0 is not an arity")
			}
			d.has |= hasArity
		case "command_flags":
			c.Flags, err = p.words(v, k, lowerWord)
			d.has |= hasFlags
		case "acl_categories":
			c.ACLCategories, err = p.words(v, k, aclWord)
			d.has |= hasACL
		case "hints", "command_tips":
			if d.has&hasTips != 0 {
				return p.errf(k, "tips given twice (hints and command_tips)")
			}
			c.Tips, err = p.tips(v, k)
			d.has |= hasTips
		case "doc_flags":
			c.DocFlags, err = p.words(v, k, lowerWord)
			d.has |= hasDocFlags
		case "deprecated_since":
			c.DeprecatedSince, err = p.str(v, k)
			d.setIf(c.DeprecatedSince != "", hasDeprecatedSince)
		case "replaced_by":
			var s string
			s, err = p.str(v, k)
			c.ReplacedBy = stripMarkdown(s)
			d.setIf(c.ReplacedBy != "", hasReplacedBy)
		case "history":
			c.History, err = p.history(v, k)
			d.has |= hasHistory
		case "key_specs":
			c.KeySpecs, err = p.keySpecs(v, k)
			d.has |= hasKeySpecs
		case "arguments":
			d.args, d.hasArgs, d.argsPath = v, true, k
		case "reply_schema":
			c.Reply, err = p.schema(v, k)
			d.has |= hasReply
		default:
			err = p.errf(k, "unknown field")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *draft) setIf(cond bool, f fieldSet) {
	if cond {
		d.has |= f
	}
}

// finish completes a draft once all of its fields are read: it derives the
// module and group and reads the arguments against the key specs.
func (d *draft) finish() error {
	if err := d.moduleAndGroup(); err != nil {
		return err
	}
	if d.hasArgs {
		n := len(d.cmd.KeySpecs)
		if d.p.format == formatLive && d.has&hasKeySpecs == 0 {
			n = -1 // no COMMAND INFO for it: Merge checks the indexes
		}
		args, err := d.p.arguments(d.args, d.argsPath, n)
		if err != nil {
			return err
		}
		d.cmd.Arguments = args
		d.has |= hasArguments
	}
	return nil
}

// moduleInfo is what a name prefix says about a module command.
type moduleInfo struct{ module, group string }

// modulePrefixes maps the prefix of a module command's name (before the
// dot) to its module and group.
var modulePrefixes = map[string]moduleInfo{
	"BF":         {"bf", "bf"},
	"CF":         {"bf", "cf"},
	"CMS":        {"bf", "cms"},
	"TOPK":       {"bf", "topk"},
	"TDIGEST":    {"bf", "tdigest"},
	"FT":         {"search", "search"},
	"_FT":        {"search", "search"},
	"SEARCH":     {"search", "search"},
	"JSON":       {"json", "json"},
	"TS":         {"timeseries", "timeseries"},
	"TIMESERIES": {"timeseries", "timeseries"},
}

// normModule normalizes a module name as a server reports it.
func normModule(m string) string {
	m = strings.ToLower(strings.TrimSpace(m))
	switch m {
	case "rejson", "redisjson":
		return "json"
	case "redisbloom":
		return "bf"
	case "redisearch", "ft":
		return "search"
	case "redistimeseries":
		return "timeseries"
	}
	return m
}

// normGroup normalizes a core group name: lower case, "_" as "-"
// (redis/redis sources say "sorted_set" where the published files say
// "sorted-set").
func normGroup(g string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(g)), "_", "-")
}

func (d *draft) moduleAndGroup() error {
	p, c := d.p, d.cmd
	first := c.Name
	if c.Container != "" {
		first = c.Container
	}
	prefix := ""
	if i := strings.Index(first, "."); i > 0 {
		prefix = first[:i]
	}
	module := ""
	if d.hasModule {
		module = normModule(d.module)
		if module == "" {
			return p.errf("module", "empty")
		}
	}
	group := ""
	if info, ok := modulePrefixes[prefix]; ok {
		if module != "" && module != info.module {
			return p.errf("module", "%q does not match the name prefix %s. (module %s)", d.module, prefix, info.module)
		}
		module, group = info.module, info.group
	} else if prefix != "" && module == "" {
		module = strings.ToLower(prefix)
		group = module
	} else if module != "" {
		group = module
	}
	if module != "" {
		c.Module, c.Group = module, group
		d.has |= hasModule | hasGroup
		return nil
	}
	if !d.hasGroup {
		return nil
	}
	c.Group = normGroup(d.group)
	if c.Group == "" {
		return p.errf("group", "empty")
	}
	if c.Group == "module" {
		return p.errf("group", "a module command needs a module name")
	}
	d.has |= hasGroup
	return nil
}

// Request and response policies known to the tips normalization.
var (
	requestPolicies = map[string]bool{
		"all_nodes": true, "all_shards": true, "multi_shard": true, "special": true,
	}
	responsePolicies = map[string]bool{
		"one_succeeded": true, "all_succeeded": true, "agg_logical_and": true, "agg_logical_or": true,
		"agg_min": true, "agg_max": true, "agg_sum": true, "special": true,
	}
)

// tips normalizes command tips ("hints" in the published files,
// "command_tips" in the sources, the tips set of COMMAND INFO). An empty list
// gives nil. Unknown tips and policies are errors.
func (p *cmdParser) tips(v any, path string) (*spec.Tips, error) {
	list, err := p.strList(v, path)
	if err != nil {
		return nil, err
	}
	t := &spec.Tips{}
	for i, raw := range list {
		fp := index(path, i)
		s := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case strings.HasPrefix(s, "request_policy:"):
			pol := strings.TrimPrefix(s, "request_policy:")
			if !requestPolicies[pol] {
				return nil, p.errf(fp, "unknown request policy %q", raw)
			}
			if t.RequestPolicy != "" && t.RequestPolicy != pol {
				return nil, p.errf(fp, "a second request policy %q", raw)
			}
			t.RequestPolicy = pol
		case strings.HasPrefix(s, "response_policy:"):
			pol := strings.TrimPrefix(s, "response_policy:")
			if !responsePolicies[pol] {
				return nil, p.errf(fp, "unknown response policy %q", raw)
			}
			if t.ResponsePolicy != "" && t.ResponsePolicy != pol {
				return nil, p.errf(fp, "a second response policy %q", raw)
			}
			t.ResponsePolicy = pol
		case s == "nondeterministic_output":
			t.Nondeterministic = "output"
		case s == "nondeterministic_output_order":
			if t.Nondeterministic == "" {
				t.Nondeterministic = "order"
			}
		case s == "dont_cache":
			t.DontCache = true
		default:
			return nil, p.errf(fp, "unknown tip %q", raw)
		}
	}
	if *t == (spec.Tips{}) {
		return nil, nil
	}
	return t, nil
}

// history keeps the versions of the history entries, in order; the
// descriptions of the changes are prose and are dropped.
func (p *cmdParser) history(v any, path string) ([]string, error) {
	l, err := p.list(v, path)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, e := range l {
		fp := index(path, i)
		entry, ok := asList(e)
		if !ok || len(entry) == 0 || len(entry) > 2 {
			return nil, p.errf(fp, "want a [version, change] pair, got %s", describe(e))
		}
		ver, err := p.str(entry[0], index(fp, 0))
		if err != nil {
			return nil, err
		}
		if ver = strings.TrimSpace(ver); ver == "" {
			return nil, p.errf(index(fp, 0), "empty version")
		}
		if len(entry) == 2 {
			if _, err := p.str(entry[1], index(fp, 1)); err != nil {
				return nil, err
			}
		}
		out = append(out, ver)
	}
	return out, nil
}

func describe(v any) string {
	if l, ok := v.([]any); ok {
		return fmt.Sprintf("an array of %d", len(l))
	}
	return typeName(v)
}

// splitName normalizes a command name: upper case, one space between a
// container and its subcommand. pipe also accepts the server's
// "container|sub" spelling.
func splitName(raw string, pipe bool) (full, container string, err error) {
	s := raw
	if pipe {
		s = strings.ReplaceAll(s, "|", " ")
	}
	words := strings.Fields(strings.ToUpper(s))
	switch len(words) {
	case 0:
		return "", "", fmt.Errorf("empty command name %q", raw)
	case 1:
		return words[0], "", nil
	case 2:
		return words[0] + " " + words[1], words[0], nil
	}
	return "", "", fmt.Errorf("%q has more than one level of subcommands", raw)
}

// deriveSourceFacts adds to a command read from the source format the facts
// that the server derives and the published files therefore list: the
// movablekeys flag (a key spec that is not index+range) and the implicit ACL
// categories (write, read, admin+dangerous, pubsub, fast, blocking, and slow
// for whatever is not fast).
func deriveSourceFacts(c *spec.Command) {
	flags := map[string]bool{}
	for _, f := range c.Flags {
		flags[f] = true
	}
	for _, ks := range c.KeySpecs {
		if ks.BeginSearch.Type != spec.SearchIndex || ks.FindKeys.Type != spec.FindRange {
			flags[spec.FlagMovableKeys] = true
		}
	}
	cats := map[string]bool{}
	for _, a := range c.ACLCategories {
		cats[a] = true
	}
	if flags[spec.FlagWrite] {
		cats["write"] = true
	}
	if flags[spec.FlagReadOnly] && !cats["scripting"] {
		cats["read"] = true
	}
	if flags[spec.FlagAdmin] {
		cats["admin"], cats["dangerous"] = true, true
	}
	if flags[spec.FlagPubSub] {
		cats["pubsub"] = true
	}
	if flags[spec.FlagFast] {
		cats["fast"] = true
	}
	if flags[spec.FlagBlocking] {
		cats["blocking"] = true
	}
	if !cats["fast"] {
		cats["slow"] = true
	}
	c.Flags = keys(flags)
	c.ACLCategories = keys(cats)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return sortedSet(out)
}

// normComplexity keeps the facts of a published time complexity: its big-O
// expressions, in order, without duplicates, joined by ", ". Upstream
// complexities are mostly sentences ("O(N) where N is the number of
// elements"); the explanations are prose and are dropped, and a complexity
// without any big-O expression ("Depends on subcommand.", "N/A") gives "".
// Adjacent expressions joined by + or * stay one expression
// ("O(N)+O(M*log(M))").
func normComplexity(s string) string {
	var terms []string
	seen := map[string]bool{}
	for i := 0; i < len(s); {
		start, end := bigO(s, i)
		if start < 0 {
			break
		}
		// Extend over "+ O(...)" and "* O(...)" continuations.
		for {
			j := end
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if j >= len(s) || (s[j] != '+' && s[j] != '*') {
				break
			}
			k := j + 1
			for k < len(s) && s[k] == ' ' {
				k++
			}
			st, en := bigO(s, k)
			if st != k {
				break
			}
			end = en
		}
		t := strings.Join(strings.Fields(s[start:end]), " ")
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
		i = end
	}
	return strings.Join(terms, ", ")
}

// bigO finds the next "O(...)" with balanced parentheses at or after i that
// does not continue a word, and returns its bounds, or -1, -1.
func bigO(s string, i int) (start, end int) {
	for ; i+1 < len(s); i++ {
		if s[i] != 'O' || s[i+1] != '(' {
			continue
		}
		if i > 0 && isWordByte(s[i-1]) {
			continue
		}
		depth := 0
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return i, j + 1
				}
			}
		}
		return -1, -1 // unbalanced: no more expressions
	}
	return -1, -1
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// stripMarkdown removes the Markdown of a replaced_by value: the backticks
// of code spans, and the "!" with which the Redis docs keep a span such as
// `!GET` from being linked to a command page.
func stripMarkdown(s string) string {
	parts := strings.Split(s, "`")
	for i := 1; i < len(parts); i += 2 {
		parts[i] = strings.TrimPrefix(parts[i], "!")
	}
	return strings.TrimSpace(strings.Join(parts, ""))
}
