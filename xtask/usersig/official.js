// The official Node package `tls-sig-api-v2` mints each case with Date.now fixed at the case's time.
// Run by xtask/usersig/generate.py: argv[2] is the package's directory, the cases come on stdin as JSON,
// and for each case it prints the string and, for a PrivateMapKey, the package's own userbuf in hex.
'use strict';
const fs = require('fs');
const { Api } = require(process.argv[2]);

const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
const realNow = Date.now;
const out = cases.map((c) => {
    Date.now = () => c.time * 1000;
    try {
        const api = new Api(c.sdk_app_id, c.key);
        if (c.room_id !== undefined && c.room_id !== null) {
            return {
                name: c.name,
                sig: api.genPrivateMapKey(c.user_id, c.expire, c.room_id, c.privilege_map),
                userbuf_hex: api._genUserbuf(c.user_id, c.room_id, c.expire, c.privilege_map, 0, null).toString('hex'),
            };
        }
        if (c.str_room_id !== undefined && c.str_room_id !== null) {
            return {
                name: c.name,
                sig: api.genPrivateMapKeyWithStringRoomID(c.user_id, c.expire, c.str_room_id, c.privilege_map),
                userbuf_hex: api._genUserbuf(c.user_id, 0, c.expire, c.privilege_map, 0, c.str_room_id).toString('hex'),
            };
        }
        return { name: c.name, sig: api.genUserSig(c.user_id, c.expire), userbuf_hex: null };
    } finally {
        Date.now = realNow;
    }
});
process.stdout.write(JSON.stringify(out));
