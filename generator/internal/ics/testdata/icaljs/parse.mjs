// parse.mjs reads the .ics files named on the command line with ical.js, an
// independent RFC 5545 parser, and prints what it understood as JSON, so the
// Go tests can compare it with what was meant.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const out = [];
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    const get = (name) => v.getFirstPropertyValue(name);
    const iso = (t) => (t ? t.toJSDate().toISOString() : null);
    return {
      uid: e.uid,
      dtstamp: iso(get("dtstamp")),
      start: iso(e.startDate),
      end: get("dtend") ? iso(e.endDate) : null,
      summary: e.summary,
      description: e.description,
      location: e.location,
      url: get("url"),
    };
  });
  out.push({
    file,
    version: cal.getFirstPropertyValue("version"),
    prodid: cal.getFirstPropertyValue("prodid"),
    name: cal.getFirstPropertyValue("x-wr-calname"),
    events,
  });
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
