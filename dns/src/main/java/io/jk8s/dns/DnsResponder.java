package io.jk8s.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Type;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Answers one DNS query: authoritatively from the {@link RecordIndex} for names in the cluster domain
 * (NXDOMAIN with the zone's SOA for unknown names, NODATA for known names without the asked type),
 * and through the {@link Forwarder} for everything else (SERVFAIL when no upstream answers).
 * Thread-safe; {@link #respond} blocks only while forwarding.
 */
public final class DnsResponder {

    /** The largest UDP answer we send to EDNS clients; the DNS flag day 2020 value, safe from fragmentation. */
    static final int EDNS_PAYLOAD = 1232;
    private static final int PLAIN_UDP = 512;

    private final Name zone;
    private final long ttl;
    private final RecordIndex index;
    private final Forwarder forwarder;
    private final PodNames pods;
    private final SOARecord soa;
    private final NSRecord ns;
    private volatile boolean synced;

    public DnsResponder(Name zone, long ttlSeconds, RecordIndex index, Forwarder forwarder) {
        this.zone = zone;
        this.ttl = ttlSeconds;
        this.index = index;
        this.forwarder = forwarder;
        this.pods = new PodNames(zone);
        Name nameServer = ServiceRecords.name("ns.dns", zone);
        this.soa = new SOARecord(zone, DClass.IN, ttlSeconds, nameServer, ServiceRecords.name("hostmaster", zone),
                System.currentTimeMillis() / 1000, 7200, 1800, 86400, ttlSeconds);
        this.ns = new NSRecord(zone, DClass.IN, ttlSeconds, nameServer);
    }

    /**
     * Marks the index as complete (informers synced). Before that, cluster names get SERVFAIL rather
     * than an NXDOMAIN that clients would cache for names that do exist.
     */
    public void markSynced() {
        synced = true;
    }

    /** The response to {@code query}; may block while asking upstream resolvers. */
    public Message respond(Message query) {
        return respond(query, true);
    }

    /**
     * The response to {@code query} if it can be made without asking upstream (cluster names, the
     * common case), else null; never blocks, so listeners may call it on their receiving thread.
     */
    public Message respondLocally(Message query) {
        try {
            return respond(query, false);
        } catch (NeedsUpstream e) {
            return null;
        }
    }

    private Message respond(Message query, boolean mayBlock) {
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY) return error(query, Rcode.NOTIMP);
        if (question == null) return error(query, Rcode.FORMERR);
        Name name = question.getName();
        if (name.subdomain(zone)) return authoritative(query, name, question.getType(), mayBlock);
        List<Record> local = index.lookup(name);
        if (local != null && synced) {
            Message response = reply(query);
            answer(response, name, question.getType(), local, mayBlock);
            return response;
        }
        if (!mayBlock) throw NeedsUpstream.INSTANCE;
        return forward(query);
    }

    /** The size limit of a UDP answer to {@code query}: 512, or the EDNS buffer it advertises up to 1232. */
    public static int maxUdpSize(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) return PLAIN_UDP;
        return Math.max(PLAIN_UDP, Math.min(EDNS_PAYLOAD, opt.getPayloadSize()));
    }

    private Message authoritative(Message query, Name name, int type, boolean mayBlock) {
        if (!synced) return error(query, Rcode.SERVFAIL);
        Message response = reply(query);
        response.getHeader().setFlag(Flags.AA);
        if (name.equals(zone)) {
            if (type == Type.SOA || type == Type.ANY) response.addRecord(soa, Section.ANSWER);
            if (type == Type.NS || type == Type.ANY) response.addRecord(ns, Section.ANSWER);
            if (response.getSectionRRsets(Section.ANSWER).isEmpty()) response.addRecord(soa, Section.AUTHORITY);
            return response;
        }
        if (pods.covers(name)) return podAnswer(response, name, type);
        List<Record> records = index.lookup(name);
        if (records == null) return nxdomain(response);
        answer(response, name, type, records, mayBlock);
        return response;
    }

    private Message podAnswer(Message response, Name name, int type) {
        if (pods.isEmptyNonTerminal(name)) return nodata(response);
        InetAddress address = pods.address(name);
        if (address == null) return nxdomain(response);
        boolean v4 = address instanceof Inet4Address;
        if (type == Type.ANY || (v4 && type == Type.A) || (!v4 && type == Type.AAAA)) {
            response.addRecord(v4 ? new ARecord(name, DClass.IN, ttl, address) : new AAAARecord(name, DClass.IN, ttl, address),
                    Section.ANSWER);
            return response;
        }
        return nodata(response);
    }

    private void answer(Message response, Name name, int type, List<Record> records, boolean mayBlock) {
        boolean any = false;
        for (Record record : records) {
            if (type == Type.ANY || record.getType() == type) {
                response.addRecord(withOwner(record, name), Section.ANSWER);
                any = true;
                if (record instanceof SRVRecord srv) addTargets(response, srv.getTarget());
            }
        }
        if (any) return;
        for (Record record : records) {
            if (record instanceof CNAMERecord cname) {
                response.addRecord(withOwner(record, name), Section.ANSWER);
                chase(response, cname.getTarget(), type, mayBlock);
                return;
            }
        }
        nodata(response);
    }

    /** Answers for the target of an ExternalName CNAME, so stub resolvers need no second query. */
    private void chase(Message response, Name target, int type, boolean mayBlock) {
        if (type == Type.CNAME) return;
        if (target.subdomain(zone)) {
            List<Record> records = index.lookup(target);
            if (records == null) return;
            for (Record r : records) if (r.getType() == type) response.addRecord(r, Section.ANSWER);
            return;
        }
        if (!mayBlock) throw NeedsUpstream.INSTANCE;
        Optional<Message> upstream = forwarder.forward(Message.newQuery(Record.newRecord(target, type, DClass.IN)));
        upstream.ifPresent(m -> m.getSection(Section.ANSWER).forEach(r -> response.addRecord(r, Section.ANSWER)));
    }

    private void addTargets(Message response, Name target) {
        List<Record> records = index.lookup(target);
        if (records == null) return;
        for (Record r : records) {
            if ((r.getType() == Type.A || r.getType() == Type.AAAA) && !response.findRecord(r, Section.ADDITIONAL)) {
                response.addRecord(r, Section.ADDITIONAL);
            }
        }
    }

    /** Keeps the asker's spelling of the name (DNS names are case-insensitive, 0x20 resolvers check the case). */
    private static Record withOwner(Record record, Name name) {
        return record.getName().equals(name) && !record.getName().toString().equals(name.toString())
                ? record.withName(name) : record;
    }

    private Message forward(Message query) {
        Optional<Message> upstream = forwarder.forward(query);
        if (upstream.isEmpty()) return error(query, Rcode.SERVFAIL);
        Message response = upstream.get();
        response.getHeader().setID(query.getHeader().getID());
        return response;
    }

    private Message nxdomain(Message response) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(soa, Section.AUTHORITY);
        return response;
    }

    private Message nodata(Message response) {
        response.addRecord(soa, Section.AUTHORITY);
        return response;
    }

    private static Message reply(Message query) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) header.setFlag(Flags.RD);
        if (query.getQuestion() != null) response.addRecord(query.getQuestion(), Section.QUESTION);
        if (query.getOPT() != null) response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        return response;
    }

    static Message error(Message query, int rcode) {
        Message response = reply(query);
        response.getHeader().setRcode(rcode);
        return response;
    }

    /** Unwinds {@link #respondLocally} when the answer needs an upstream; shared, without a stack trace. */
    private static final class NeedsUpstream extends RuntimeException {
        static final NeedsUpstream INSTANCE = new NeedsUpstream();

        private NeedsUpstream() {
            super(null, null, false, false);
        }
    }
}
