// Reference sanitizer for test_fidelity.py: sanitize-html (the spec's own
// sanitizer) with labelform's tag and attribute lists. Reads a JSON list of
// HTML strings on stdin, writes the list of sanitized strings on stdout.
// NODE_PATH must point at a node_modules holding sanitize-html.
const sanitizeHtml = require("sanitize-html");

const policy = JSON.parse(process.argv[2]);
const options = {
  allowedTags: policy.tags,
  allowedAttributes: policy.attributes,
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { iframe: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: true,
};

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const docs = JSON.parse(input);
  process.stdout.write(JSON.stringify(docs.map((html) => sanitizeHtml(html, options))));
});
