#!/usr/bin/env python3
"""Builds data/brain/intents.tsv and data/brain/sentiment.tsv from public data sets and our own rows.

Rerun (python3 only, no packages):
    python3 tools/data/build_brain_data.py --mirror DIR
DIR holds bare git snapshots of the source repositories named as in SOURCES below ("owner+name/repo"); each source
is read with `git show <commit>:<path>` at the pinned commit, so the output is reproducible byte for byte.
Our own rows are in data/brain/own/*.tsv (text, language, intent, sentiment).

Splits: rows of a held-out source are `other_source`; every other row is `blind` when
sha1(normalised text) mod 5 == 0 (about 20 %), else `train`. Normalised = casefold, whitespace collapsed,
trailing .!? and spaces stripped. Duplicates (after normalising) are kept once; a text seen in a training
source is dropped from the held-out source; a text with conflicting labels is kept only with our own label, if
any, else dropped. Rows equal to a row of SalesFlow.Tests/Fixtures/Brain/lead_utterances_blind.tsv or
lead_utterances_holdout.tsv are dropped so those test sets stay unseen.
"""
import argparse, collections, hashlib, json, os, re, subprocess, sys, csv, io

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

COMMITS = {
    'clinc+oos-eval': '828f8093932c8fe6ca7936c3d2e52903b1c523de',
    'fbennets+HCLC-GDPR-Bot': 'a26306e6593d8356a7a58dce32090ca21f30ac29',
    'robo-ai+roboai-demo-faq-chatbot': '0990ab17b13eef7a1bc34ec400d0d9822ecc31c9',
    'monologg+GoEmotions-pytorch': 'b75f9d3a8b76bc1060687925b04ca98a1b8ea66b',
    'Helsinki-NLP+XED': '76666d251f147cf518071bef4f8415dab6b96115',
    'PolyAI-LDN+task-specific-datasets': '57ec275d8078af65b7731c2a98be812d844a6d6b',
    'google-research-datasets+dstc8-schema-guided-dialogue': 'e852981ae34990f4358979625854259302feaa78',
}
INTENT_HELDOUT = {'robo-ai-faq'}
SENTIMENT_HELDOUT = {'xed'}


def git_show(mirror, repo, path):
    d = os.path.join(mirror, repo, 'repo')
    if os.path.isdir(os.path.join(d, '.git')):
        d = os.path.join(d, '.git')
    return subprocess.run(['git', '-C', d, 'show', f'{COMMITS[repo]}:{path}'], check=True,
                          capture_output=True).stdout.decode('utf-8')


def norm(t):
    t = re.sub(r'\s+', ' ', t.casefold()).strip()
    return re.sub(r'[\s.!?]+$', '', t)


def h(t):
    return int(hashlib.sha1(norm(t).encode('utf-8')).hexdigest(), 16)


def take(rows, n):
    """Deterministic sample: the n rows with the smallest text hash."""
    return sorted(rows, key=lambda r: h(r))[:n]


def clean(t):
    t = re.sub(r'\[([^\]]*)\]\{[^}]*\}', r'\1', t)      # rasa entity markup [x]{"entity":...}
    t = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', t)      # rasa entity markup [x](entity)
    t = re.sub(r'\$\w+|\{\w+\}', '', t)                 # template placeholders ($bot_name, {bot_name})
    t = re.sub(r'\s+([,.!?])', r'\1', t)
    return re.sub(r'\s+', ' ', t).strip()


# ---------------------------------------------------------------- CLINC150 (en, CC BY 3.0)
CLINC_OTHER_DOMAINS = ['kitchen_and_dining', 'auto_and_commute', 'travel', 'utility', 'home', 'work', 'small_talk']
CLINC_SKIP = {'meeting_schedule', 'calendar', 'calendar_update', 'order', 'order_status', 'make_call', 'text',
              'what_can_i_ask_you', 'schedule_meeting', 'greeting', 'are_you_a_bot'}
CLINC_OTHER_PER_INTENT = 2


def clinc(mirror):
    data = json.loads(git_show(mirror, 'clinc+oos-eval', 'data/data_full.json'))
    domains = json.loads(git_show(mirror, 'clinc+oos-eval', 'data/domains.json'))
    by = collections.defaultdict(list)
    for part in data.values():
        for text, lab in part:
            by[lab].append(text)
    out = []
    out += [(t, 'en', 'greeting') for t in take(by['greeting'], 120)]
    out += [(t, 'en', 'meeting') for t in take([t for t in by['schedule_meeting'] if 'room' not in t], 120)]
    out += [(t, 'en', 'human') for t in take(by['are_you_a_bot'], 60)]
    for dom in CLINC_OTHER_DOMAINS:
        for lab in domains[dom]:
            if lab in CLINC_SKIP:
                continue
            out += [(t, 'en', 'other') for t in take(by[lab], CLINC_OTHER_PER_INTENT)]
    out += [(t, 'en', 'other') for t in take(by['oos'], 80)]
    return [dict(text=t, language=l, intent=i, source='clinc150') for t, l, i in out]


# ---------------------------------------------------------------- BANKING77 (en, CC BY 4.0)
BANKING_SUPPORT = ['card_not_working', 'pin_blocked', 'contactless_not_working', 'passcode_forgotten',
                   'transfer_not_received_by_recipient', 'top_up_failed', 'declined_card_payment', 'declined_transfer',
                   'card_payment_not_recognised', 'transaction_charged_twice', 'Refund_not_showing_up',
                   'balance_not_updated_after_bank_transfer', 'virtual_card_not_working', 'card_swallowed',
                   'failed_transfer', 'wrong_amount_of_cash_received', 'unable_to_verify_identity',
                   'extra_charge_on_statement', 'card_arrival']
BANKING_QUESTION = ['country_support', 'supported_cards_and_currencies', 'age_limit', 'fiat_currency_support',
                    'visa_or_mastercard', 'apple_pay_or_google_pay']


def banking77(mirror):
    by = collections.defaultdict(list)
    for part in ('train', 'test'):
        for r in csv.DictReader(io.StringIO(git_show(mirror, 'PolyAI-LDN+task-specific-datasets',
                                                     f'banking_data/{part}.csv'))):
            by[r['category']].append(r['text'])
    out = []
    for lab in BANKING_SUPPORT:
        out += [(t, 'support') for t in take(by[lab], 6)]
    for lab in BANKING_QUESTION:
        out += [(t, 'question') for t in take(by[lab], 4)]
    return [dict(text=t, language='en', intent=i, source='banking77') for t, i in out]


# ---------------------------------------------------------------- Schema-Guided Dialogue (en, CC BY-SA 4.0)
SGD_MEETING = {'Homes:ScheduleVisit': 60, 'Services:BookAppointment': 50}
SGD_MEETING_WORDS = re.compile(r'visit|appointment|schedul|book|tour|see (the|this|that) (place|property|apartment)',
                               re.I)


def sgd(mirror):
    repo = 'google-research-datasets+dstc8-schema-guided-dialogue'
    d = os.path.join(mirror, repo, 'repo')
    files = subprocess.run(['git', '-C', d, 'ls-tree', '-r', '--name-only', COMMITS[repo]], check=True,
                           capture_output=True, text=True).stdout.split()
    first = collections.defaultdict(list)
    for f in sorted(files):
        if not re.match(r'(train|dev|test)/dialogues_\d+\.json$', f):
            continue
        p = subprocess.run(['git', '-C', d, 'show', f'{COMMITS[repo]}:{f}'], capture_output=True)
        if p.returncode:   # files of 4 MiB and more are absent from the snapshot; the rest is used
            continue
        for dia in json.loads(p.stdout):
            prev = set()
            for t in dia['turns']:
                if t['speaker'] != 'USER':
                    continue
                cur = {fr['service'].split('_')[0] + ':' + fr['state']['active_intent'] for fr in t['frames']
                       if fr['state']['active_intent'] != 'NONE'}
                for x in cur - prev:    # the user turn that opens this intent
                    first[x].append(t['utterance'])
                prev = cur
    out = []
    for lab, cap in SGD_MEETING.items():
        texts = [t for t in first[lab] if SGD_MEETING_WORDS.search(t)]
        out += [dict(text=t, language='en', intent='meeting', source='sgd') for t in take(texts, cap)]
    return out


# ---------------------------------------------------------------- HCLC-GDPR-Bot (de/en, MIT)
HCLC_MAP = {'chitchat/greet': 'greeting', 'chitchat/goodbye': 'other', 'stop_advertisement': 'opt_out',
            'chitchat/bot_challenge': 'human', 'chitchat/fun_part': 'other'}
EN_RE = re.compile(r'^(hey|hello|hi|bye|goodbye|seeya|see you later|are you|am i|hey dude)\b', re.I)
DROP_RE = re.compile(r'^(hai|hei|hej|hola|au revoir|ciao cacao|пога|fun|spaß|lol)$', re.I)


def rasa_md(text):
    cur = None
    for line in text.splitlines():
        m = re.match(r'##\s*intent:\s*(\S+)', line)
        if m:
            cur = m.group(1)
            continue
        if line.startswith('#') or line.startswith('<!--'):
            cur = None
            continue
        if cur and line.startswith('- '):
            yield cur, clean(line[2:])


def hclc(mirror):
    out = []
    for lab, t in rasa_md(git_show(mirror, 'fbennets+HCLC-GDPR-Bot', 'data/nlu.md')):
        if lab not in HCLC_MAP or DROP_RE.match(t):
            continue
        if lab == 'chitchat/bot_challenge' and not re.search(r'bot|human|mensch', t, re.I):
            continue
        out.append(dict(text=t, language='en' if EN_RE.match(t) else 'de', intent=HCLC_MAP[lab], source='hclc-gdpr-bot'))
    return out


# ---------------------------------------------------------------- ROBO.AI demo FAQ chatbot (en+de, MIT)
ROBO_INTENT = {  # source intent -> (our intent, cap per language)
    'greeting_hello': ('greeting', 60), 'greeting_how_are_you': ('greeting', 30),
    'robo_prices': ('pricing', 60), 'whatsapp_business_price_costs': ('pricing', 30), 'bot_costs': None,
    'demo_general': ('meeting', 30), 'demo_automotive': ('meeting', 10), 'demo_banking': ('meeting', 10),
    'demo_insurance': ('meeting', 10), 'demo_telco': ('meeting', 10),
    'robo_registration': ('purchase', 60), 'features_handover': ('human', 40), 'robo_handover': ('question', 8),
}
ROBO_QUESTION_PREFIX = ('platform_', 'robo_api_sdk', 'robo_advantages', 'robo_about', 'robo_chatbot', 'robo_clients',
                        'channels_', 'whatsapp_business_api_', 'whatsapp_business_cases_', 'whatsapp_business_data_',
                        'whatsapp_business_for_', 'whatsapp_business_other_', 'solutions_', 'developers_',
                        'automotive_', 'banking_', 'insurance_', 'telco_', 'business_')
ROBO_OTHER_PREFIX = ('bot_', 'cc_', 'chitchat_botpersonal', 'greeting_goodbye', 'vocative_thank_you', 'user_fat',
                     'user_friend', 'user_love', 'user_random_input', 'nothingmore')
ROBO_OTHER_SKIP = {'bot_real', 'bot_costs', 'bot_capabilities', 'bot_languages', 'bot_differences', 'bot_intelligence',
                   'bot_lookup_version', 'bot_version', 'bot_developers', 'bot_sexual', 'cc_drugs', 'cc_politics',
                   'cc_religion'}
ROBO_SENTIMENT = {'comment_positive': 'positive', 'comment_smart': 'positive', 'user_happy': 'positive',
                  'user_laugh': 'positive', 'comment_negative': 'negative', 'comment_offense': 'negative',
                  'user_angry': 'negative', 'user_hate': 'negative', 'user_tired': 'negative',
                  'user_scared': 'negative', 'contacts_address': 'neutral', 'contacts_email': 'neutral',
                  'contacts_generic': 'neutral', 'contacts_phone': 'neutral', 'ccw_date': 'neutral',
                  'ccw_place': 'neutral', 'ccw_about': 'neutral', 'contacts_TI': 'neutral'}
HANDOVER_REQ = re.compile(r'^(can|could|pass|connect|i want|i would|i\'d|i need|transfer|put|let me|please|talk|'
                          r'verbind|ich möchte|ich will|ich würde|kann ich|können sie|könnten sie|bitte|gib mir|'
                          r'weiterleit|übergeben sie|stell)', re.I)
HANDOVER_Q = re.compile(r'feature|funktion|function|gibt es|is there|does|do you (have|support|offer)|unterstütz|'
                        r'support|möglich|possible|option', re.I)


DEMO_REQ = re.compile(r'zeig|show|see|sehen|möchte|würde|would|like|want|book|buch|can i|kann ich|could i|könnte ich|'
                      r'ich hätte gern', re.I)
DEMO_Q = re.compile(r'gibt es|is there|are there|have you|haben sie|habt ihr|do you have|irgendwo|vorgefertigt|pre.?built',
                    re.I)


def robo_rows(mirror):
    rows = collections.defaultdict(lambda: collections.defaultdict(list))
    for lang in ('en', 'de'):
        md = git_show(mirror, 'robo-ai+roboai-demo-faq-chatbot', f'bot/languages/{lang}/data/nlu.md')
        for lab, t in rasa_md(md):
            if t and not t.startswith('/'):
                rows[lang][lab].append(t)
    return rows


def robo_intents(mirror):
    out = []
    for lang, by in robo_rows(mirror).items():
        for lab, texts in by.items():
            m = ROBO_INTENT.get(lab, 'x')
            if m is None:
                continue
            if m == 'x':
                if lab.startswith('whatsapp_business_price'):
                    continue
                if lab.startswith(ROBO_QUESTION_PREFIX):
                    m = ('question', 3)
                elif lab.startswith(ROBO_OTHER_PREFIX) and lab not in ROBO_OTHER_SKIP:
                    m = ('other', 3)
                else:
                    continue
            intent, cap = m
            if lab == 'features_handover':
                texts = [t for t in texts if HANDOVER_REQ.match(t) and not HANDOVER_Q.search(t)]
            if lab.startswith('demo_'):   # a wish to see a demo, not a question whether demos exist
                texts = [t for t in texts if DEMO_REQ.search(t) and not DEMO_Q.search(t)]
            if lab == 'robo_registration':
                texts = [t for t in texts if not re.search(r'sign[- ]?in|log[- ]?in|einlogg', t, re.I)]
            out += [dict(text=t, language=lang, intent=intent, source='robo-ai-faq') for t in take(texts, cap)]
    return out


def robo_sentiment(mirror):
    out = []
    for lang, by in robo_rows(mirror).items():
        for lab, s in ROBO_SENTIMENT.items():
            out += [dict(text=t, language=lang, sentiment=s, source='robo-ai-faq') for t in take(by.get(lab, []), 40)]
    return out


# ---------------------------------------------------------------- GoEmotions (en, CC BY 4.0), Ekman grouping
GOEMO = {0: 'negative', 1: 'negative', 2: 'negative', 3: 'positive', 4: 'neutral', 5: 'negative'}  # 6 surprise: dropped


def goemotions(mirror):
    by = collections.defaultdict(list)
    for part in ('train', 'dev', 'test'):
        for line in git_show(mirror, 'monologg+GoEmotions-pytorch', f'data/ekman/{part}.tsv').splitlines():
            t, labs, _ = line.split('\t')
            if len(t) > 1 and t.startswith('"') and t.rstrip().endswith('"'):   # CSV-style quoting in the file
                t = t.strip()[1:-1].replace('""', '"')
            labs = [int(x) for x in labs.split(',')]
            ss = {GOEMO.get(x) for x in labs}
            if len(ss) == 1 and None not in ss and len(t) >= 8:
                by[ss.pop()].append(t.strip())
    out = []
    for s, texts in by.items():
        out += [dict(text=t, language='en', sentiment=s, source='goemotions') for t in take(texts, 700)]
    return out


# ---------------------------------------------------------------- XED (en annotated + de projections, CC BY 4.0)
def xed_label(labs):
    labs = {int(x) for x in re.findall(r'\d+', labs)}
    if labs and labs <= {5, 8}:
        return 'positive'
    if labs and labs <= {1, 3, 4, 6}:
        return 'negative'
    return None


def xed_clean(t):
    t = re.sub(r'\([^)]*\)|♪|<[^>]*>', ' ', t)          # speaker tags, music notes, markup
    t = re.sub(r'(^|\s)-\s+', ' ', t)                   # subtitle dialogue dashes
    return re.sub(r'\s+', ' ', t).strip()


def xed(mirror):
    out = []
    for lang, path in (('en', 'AnnotatedData/en-annotated.tsv'), ('de', 'Projections/de-projections.tsv')):
        by = collections.defaultdict(list)
        for line in git_show(mirror, 'Helsinki-NLP+XED', path).splitlines():
            if '\t' not in line:
                continue
            t, labs = line.rsplit('\t', 1)
            t = xed_clean(t)
            s = xed_label(labs)
            if s and len(re.findall(r'\w+', t)) >= 3:
                by[s].append(t)
        if lang == 'en':
            for line in git_show(mirror, 'Helsinki-NLP+XED', 'AnnotatedData/neu_en.txt').splitlines():
                p = line.split('\t', 1)
                if len(p) == 2 and len(re.findall(r'\w+', xed_clean(p[1]))) >= 3:
                    by['neutral'].append(xed_clean(p[1]))
        for s, texts in by.items():
            out += [dict(text=t, language=lang, sentiment=s, source='xed') for t in take(texts, 300)]
    return out


# ---------------------------------------------------------------- own rows
def own():
    ints, sents = [], []
    d = os.path.join(ROOT, 'data', 'brain', 'own')
    for f in sorted(os.listdir(d)):
        if not f.endswith('.tsv'):
            continue
        with open(os.path.join(d, f), encoding='utf-8') as fh:
            for i, line in enumerate(fh):
                line = line.rstrip('\n')
                if i == 0 or not line.strip():
                    continue
                t, l, it, s = line.split('\t')
                ints.append(dict(text=t, language=l, intent=it, source='own'))
                sents.append(dict(text=t, language=l, sentiment=s, source='own'))
    return ints, sents


def fixture_texts():
    out = set()
    for f in ('lead_utterances_blind.tsv', 'lead_utterances_holdout.tsv'):
        with open(os.path.join(ROOT, 'SalesFlow.Tests', 'Fixtures', 'Brain', f), encoding='utf-8') as fh:
            for i, line in enumerate(fh):
                if i:
                    out.add(norm(line.split('\t')[0]))
    return out


def finish(rows, label, heldout, fixtures, stats):
    for r in rows:
        r['text'] = re.sub(r'\s+', ' ', r['text'].replace('\t', ' ')).strip()
    rows = [r for r in rows if r['text']]
    labels = collections.defaultdict(set)
    own_label = {}
    for r in rows:
        labels[norm(r['text'])].add(r[label])
        if r['source'] == 'own':
            own_label[norm(r['text'])] = r[label]
    in_train_source = {norm(r['text']) for r in rows if r['source'] not in heldout}
    seen, out = set(), []
    # training sources first, own rows first of all, so a duplicate keeps the training copy
    for r in sorted(rows, key=lambda r: (r['source'] in heldout, r['source'] != 'own')):
        k = norm(r['text'])
        if k in fixtures:
            stats['dropped: equal to a SalesFlow fixture test row'] += 1
            continue
        if len(labels[k]) > 1:
            if k in own_label and r[label] == own_label[k]:
                pass
            else:
                stats['dropped: conflicting labels'] += 1
                continue
        if k in seen:
            stats['dropped: duplicate'] += 1
            continue
        if r['source'] in heldout and k in in_train_source:
            stats['dropped: held-out text also in a training source'] += 1
            continue
        seen.add(k)
        r['split'] = 'other_source' if r['source'] in heldout else ('blind' if h(r['text']) % 5 == 0 else 'train')
        out.append(r)
    return sorted(out, key=lambda r: (r['split'], r['source'], r['language'], r[label], norm(r['text'])))


def write(path, rows, cols):
    with open(path, 'w', encoding='utf-8', newline='') as fh:
        fh.write('\t'.join(cols) + '\n')
        for r in rows:
            fh.write('\t'.join(r[c] for c in cols) + '\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mirror', default='/work/.mirror')
    a = ap.parse_args()
    fixtures = fixture_texts()
    own_i, own_s = own()
    st_i, st_s = collections.Counter(), collections.Counter()
    ints = finish(own_i + clinc(a.mirror) + banking77(a.mirror) + sgd(a.mirror) + hclc(a.mirror) + robo_intents(a.mirror), 'intent', INTENT_HELDOUT,
                  fixtures, st_i)
    sents = finish(own_s + robo_sentiment(a.mirror) + goemotions(a.mirror) + xed(a.mirror), 'sentiment',
                   SENTIMENT_HELDOUT, fixtures, st_s)
    # cross-file guard: no text of one file's held-out source may be a training/blind text of the other file
    held_i = {norm(r['text']) for r in ints if r['split'] == 'other_source'}
    held_s = {norm(r['text']) for r in sents if r['split'] == 'other_source'}
    n_s, n_i = len(sents), len(ints)
    sents = [r for r in sents if r['split'] == 'other_source' or norm(r['text']) not in held_i]
    ints = [r for r in ints if r['split'] == 'other_source' or norm(r['text']) not in held_s]
    st_s['dropped: text of the intents held-out source'] += n_s - len(sents)
    st_i['dropped: text of the sentiment held-out source'] += n_i - len(ints)
    out = os.path.join(ROOT, 'data', 'brain')
    write(os.path.join(out, 'intents.tsv'), ints, ['text', 'language', 'intent', 'source', 'split'])
    write(os.path.join(out, 'sentiment.tsv'), sents, ['text', 'language', 'sentiment', 'source', 'split'])
    for name, rows, label, st in (('intents', ints, 'intent', st_i), ('sentiment', sents, 'sentiment', st_s)):
        print(f'## {name}: {len(rows)} rows; ' + '; '.join(f'{k} {v}' for k, v in sorted(st.items())))
        c = collections.Counter((r[label], r['language'], r['split']) for r in rows)
        splits = ['train', 'blind', 'other_source']
        print('| ' + label + ' | ' + ' | '.join(f'{l} {s}' for l in ('en', 'de') for s in splits) + ' | total |')
        print('|---' * 8 + '|')
        for lab in sorted({r[label] for r in rows}):
            cells = [c[(lab, l, s)] for l in ('en', 'de') for s in splits]
            print(f'| {lab} | ' + ' | '.join(map(str, cells)) + f' | {sum(cells)} |')
        cells = [sum(v for (x, l, s), v in c.items() if l == L and s == S) for L in ('en', 'de') for S in splits]
        print('| **all** | ' + ' | '.join(map(str, cells)) + f' | {sum(cells)} |')
        src = collections.Counter((r['source'], r['language'], r['split']) for r in rows)
        print('| source | language | train | blind | other_source |')
        print('|---|---|---|---|---|')
        for so, la in sorted({(k[0], k[1]) for k in src}):
            print(f'| {so} | {la} | ' + ' | '.join(str(src[(so, la, sp)]) for sp in splits) + ' |')


if __name__ == '__main__':
    main()
