// The bridge between the Live page (Blazor, running on the server) and notification-client.js (running here, in the
// browser, which holds the connections). Each connection reports its status and notifications to the page's .NET
// object; the page asks the server for the access token before every attempt.
import { NotificationClient } from './notification-client.js';

export function open(page, number, options) {
    const report = (method, ...args) => page.invokeMethodAsync(method, number, ...args)
        // The circuit is gone (the page is being left or the web server restarted): nobody is listening.
        .catch(() => { });
    const client = new NotificationClient({
        url: options.apiUrl,
        pingIntervalMs: options.pingIntervalMs,
        transport: options.transport,
        topics: options.topics,
        getAccessToken: () => page.invokeMethodAsync('GetAccessTokenAsync'),
        onChange: status => report('OnConnectionChanged', status),
        // .NET receives the payload as JSON text: it may be any JSON value and is only displayed.
        onNotifications: (items, status) => report('OnNotifications',
            items.map(item => ({ ...item, data: JSON.stringify(item.data) })), status),
    });
    client.start();
    return client;
}

// A refusal shows in the connection's status (its topics); the promise is not what the page waits on.
export function subscribe(client, topic) {
    client.subscribe(topic).catch(() => { });
}

export function unsubscribe(client, topic) {
    client.unsubscribe(topic);
}
