# Prints how libyaml (Ruby's Psych, what Jekyll used) reads each case of a `=== name` separated
# file, in the format of `examples/dump_cases.rs`. Dev-only oracle: `compare.sh` runs both.
require 'psych'
require 'date'

def esc(s)
  out = +'"'
  s.each_char do |c|
    out << case c
           when '"' then '\\"'
           when '\\' then '\\\\'
           when "\n" then '\\n'
           when "\t" then '\\t'
           when "\r" then '\\r'
           else c.ord < 0x20 ? format('\\u%04x', c.ord) : c
           end
  end
  out << '"'
end

def show(v)
  case v
  when Hash then '{' + v.map { |k, x| "#{esc(k.to_s)}:#{show(x)}" }.join(',') + '}'
  when Array then '[' + v.map { |x| show(x) }.join(',') + ']'
  when String then esc(v)
  when nil then 'null'
  when Date, Time then "\"TS:#{v}\""
  when Float then v.nan? ? 'NaN' : (v.infinite? ? (v.positive? ? 'inf' : '-inf') : v.to_s)
  else v.to_s
  end
end

File.read(ARGV.fetch(0)).split(/^=== /).drop(1).each do |chunk|
  name, body = chunk.split("\n", 2)
  body ||= ''
  body = body.gsub("\n", "\r\n") if name.start_with?('crlf')
  begin
    puts "#{name}\tOK #{show(Psych.safe_load(body, permitted_classes: [Date, Time], aliases: true))}"
  rescue Psych::SyntaxError => e
    puts "#{name}\tERR #{e.line}"
  end
end
