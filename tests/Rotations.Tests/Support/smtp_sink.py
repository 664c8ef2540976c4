"""A real SMTP server for the email tests (Debian's python3-aiosmtpd).

    smtp_sink.py serve DIR [--port N] [--fail-first N] [--delay-ms N]
        Listens on 127.0.0.1 (a free port unless --port), prints "READY <port>", and stores every
        message it accepts as DIR/<n>.json: the envelope, the parsed headers, the text and HTML parts
        and the raw message. --fail-first answers "451 try later" to the first N messages;
        --delay-ms waits after storing a message before answering 250 (a slow server).
    smtp_sink.py parse FILE.eml
        Prints the same JSON for an .eml file (the pickup-folder tests).
"""
import asyncio, email, email.policy, json, os, socket, sys, threading, time


def describe(raw, mail_from='', rcpt_tos=()):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(preferencelist=('plain',))
    html = msg.get_body(preferencelist=('html',))
    return {
        'mailFrom': mail_from,
        'rcptTos': list(rcpt_tos),
        'messageId': str(msg.get('Message-ID', '')),
        'from': str(msg.get('From', '')),
        'to': str(msg.get('To', '')),
        'subject': str(msg.get('Subject', '')),
        'contentType': msg.get_content_type(),
        'text': text.get_content() if text is not None else None,
        'html': html.get_content() if html is not None else None,
        'raw': raw.decode('utf-8', 'replace'),
    }


class Sink:
    def __init__(self, folder, fail_first, delay_ms):
        self.folder, self.fail_first, self.delay = folder, fail_first, delay_ms / 1000.0
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.fail_first > 0:
                self.fail_first -= 1
                return '451 4.3.0 Try again later'
            self.count += 1
            n = self.count
        data = describe(envelope.original_content or envelope.content, envelope.mail_from, envelope.rcpt_tos)
        tmp = os.path.join(self.folder, f'{n:06d}.tmp')
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(data, f)
        os.replace(tmp, os.path.join(self.folder, f'{n:06d}.json'))
        # Stored before the answer: a client killed while waiting has been "received" but never told so.
        if self.delay:
            await asyncio.sleep(self.delay)
        return '250 OK'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def serve(args):
    from aiosmtpd.controller import Controller
    folder = args[0]
    opts = dict(zip(args[1::2], args[2::2]))
    port = int(opts.get('--port', 0)) or free_port()
    sink = Sink(folder, int(opts.get('--fail-first', 0)), int(opts.get('--delay-ms', 0)))
    controller = Controller(sink, hostname='127.0.0.1', port=port, decode_data=False)
    controller.start()
    print(f'READY {port}', flush=True)
    try:
        # Runs until the test closes stdin or kills the process.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == '__main__':
    if sys.argv[1] == 'serve':
        serve(sys.argv[2:])
    elif sys.argv[1] == 'parse':
        with open(sys.argv[2], 'rb') as f:
            print(json.dumps(describe(f.read())))
