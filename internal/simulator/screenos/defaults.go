package screenos

import "strings"

// FactoryConfig is a configuration of the settings every dump of the model holds besides
// the VPN objects: zones and their screens, interface zones, flow, PKI, IKE and IPsec
// globals, admin, SSH, SNMP [SEEN: the lines common to the seed 000 dumps of the model;
// interface addresses are sample values]. Pass it (plus lines of your own) as the
// simulator's initial configuration for a device that reads back like a real one; a fresh
// engine holds only the vrouters and the host name. "" for an unknown model.
func FactoryConfig(model string) string {
	m, ok := models[lower(model)]
	if !ok {
		return ""
	}
	untrust, trust := "ethernet0/0", "bgroup0"
	switch m.id {
	case "ns25":
		untrust, trust = "ethernet3", "ethernet1"
	case "ns5gt":
		untrust, trust = "untrust", "trust"
	}
	var b strings.Builder
	w := func(lines ...string) {
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	if m.v63 {
		w("unset key protection enable")
	}
	w("set clock timezone 0",
		"set vrouter trust-vr sharable",
		`set vrouter "untrust-vr"`, "exit",
		`set vrouter "trust-vr"`, "unset auto-route-export", "exit",
		`set auth-server "Local" id 0`,
		`set auth-server "Local" server-name "Local"`,
		`set auth default auth server "Local"`,
		"set auth radius accounting port 1646",
		`set admin name "netscreen"`,
		`set admin password "nKVUM2rwMUzPcrkG5sWIHdCtqkAibn"`,
		"set admin auth timeout 10",
		`set admin auth server "Local"`,
		"set admin format dos")
	for _, z := range []string{"Trust", "Untrust", "DMZ", "VLAN", "Untrust-Tun"} {
		w(`set zone "` + z + `" vrouter "trust-vr"`)
	}
	w(`set zone "Trust" tcp-rst`, `set zone "Untrust" block`, `unset zone "Untrust" tcp-rst`, `set zone "MGT" block`,
		`set zone "DMZ" tcp-rst`, `set zone "VLAN" block`, `unset zone "VLAN" tcp-rst`)
	for _, z := range []string{"Untrust", "V1-Untrust"} {
		for _, s := range []string{"tear-drop", "syn-flood", "ping-death", "ip-filter-src", "land"} {
			w(`set zone "` + z + `" screen ` + s)
		}
	}
	w(`set interface "`+trust+`" zone "Trust"`, `set interface "`+untrust+`" zone "Untrust"`)
	if m.id == "ssg5" {
		for _, p := range []string{"ethernet0/2", "ethernet0/3", "ethernet0/4", "ethernet0/5", "ethernet0/6"} {
			w("set interface bgroup0 port " + p)
		}
	}
	w("unset interface vlan1 ip",
		"set interface "+trust+" ip 192.168.1.1/24",
		"set interface "+trust+" nat",
		"set interface "+untrust+" ip 203.0.113.10/24",
		"set interface "+untrust+" route",
		"unset interface vlan1 bypass-others-ipsec",
		"unset interface vlan1 bypass-non-ip",
		"set interface "+trust+" ip manageable",
		"set interface "+untrust+" ip manageable",
		"set flow tcp-mss",
		"unset flow no-tcp-seq-check",
		"set flow tcp-syn-check",
		`set pki authority default scep mode "auto"`,
		"set pki x509 default cert-path partial",
		"set ike respond-bad-spi 1")
	if m.v63 {
		w("set ike ikev2 ike-sa-soft-lifetime 60")
	}
	w("unset ike ikeid-enumeration",
		"unset ike dos-protection",
		"unset ipsec access-session enable",
		"set ipsec access-session maximum 5000",
		"set ipsec access-session upper-threshold 0",
		"set ipsec access-session lower-threshold 0",
		"set ipsec access-session dead-p2-sa-timeout 0",
		"unset ipsec access-session log-error",
		"unset ipsec access-session info-exch-connected",
		"unset ipsec access-session use-error-log",
		"set nsmgmt bulkcli reboot-timeout 60",
		"set ssh version v2",
		"set ssh enable",
		"set config lock timeout 5",
		"set snmp port listen 161",
		"set snmp port trap 162",
		`set vrouter "trust-vr"`, "unset add-default-route", "exit")
	return b.String()
}
