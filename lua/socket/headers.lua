-- socket.headers: the header-name capitalisation table of LuaSocket 3.1.0 (same 91 entries).
-- socket.http sends a lowercased header name in this form when it is listed here, and
-- lowercase otherwise; scripts may add entries. Requires nothing; registers itself as
-- socket.headers when socket is already loaded (socket.lua registers it otherwise).

local canonic = {}

-- Each name is listed in its canonical spelling; the key is its lowercase form.
for _, name in ipairs {
  "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Action",
  "Age", "Allow", "Alternate-Recipient", "Arrival-Date", "Authorization", "Bcc", "Cache-Control",
  "Cc", "Comments", "Connection", "Content-Description", "Content-Disposition",
  "Content-Encoding", "Content-ID", "Content-Language", "Content-Length", "Content-Location",
  "Content-MD5", "Content-Range", "Content-Transfer-Encoding", "Content-Type", "Cookie", "Date",
  "Diagnostic-Code", "DSN-Gateway", "ETag", "Expect", "Expires", "Final-Log-ID",
  "Final-Recipient", "From", "Host", "If-Match", "If-Modified-Since", "If-None-Match",
  "If-Range", "If-Unmodified-Since", "In-Reply-To", "Keywords", "Last-Attempt-Date",
  "Last-Modified", "Location", "Max-Forwards", "Message-ID", "MIME-Version",
  "Original-Envelope-ID", "Original-Recipient", "Pragma", "Proxy-Authenticate",
  "Proxy-Authorization", "Range", "Received", "Received-From-MTA", "References", "Referer",
  "Remote-MTA", "Reply-To", "Reporting-MTA", "Resent-Bcc", "Resent-Cc", "Resent-Date",
  "Resent-From", "Resent-Message-ID", "Resent-Reply-To", "Resent-Sender", "Resent-To",
  "Retry-After", "Return-Path", "Sender", "Server", "SMTP-Remote-Recipient", "Status", "Subject",
  "TE", "To", "Trailer", "Transfer-Encoding", "Upgrade", "User-Agent", "Vary", "Via", "Warning",
  "Will-Retry-Until", "WWW-Authenticate", "X-Mailer",
} do
  canonic[string.lower(name)] = name
end

local M = { canonic = canonic }

do
  local socket = package.loaded.socket
  if type(socket) == "table" then socket.headers = M end
end

return M
