const require=process.getBuiltinModule("node:module").createRequire(import.meta.url);
import{b as m,c as gt}from"./chunk-G752WQ2S.js";var S=m(j=>{"use strict";j.load=function(i,t,e={}){var r,n,s;for(r in t)s=t[r],e[r]=(n=i[r])!=null?n:s;return e};j.overwrite=function(i,t,e={}){var r,n;for(r in i)n=i[r],t[r]!==void 0&&(e[r]=n);return e}});var K=m((Xt,te)=>{"use strict";var ee;ee=class{constructor(t,e){this.incr=t,this.decr=e,this._first=null,this._last=null,this.length=0}push(t){var e;this.length++,typeof this.incr=="function"&&this.incr(),e={value:t,prev:this._last,next:null},this._last!=null?(this._last.next=e,this._last=e):this._first=this._last=e}shift(){var t;if(this._first!=null)return this.length--,typeof this.decr=="function"&&this.decr(),t=this._first.value,(this._first=this._first.next)!=null?this._first.prev=null:this._last=null,t}first(){if(this._first!=null)return this._first.value}getArray(){var t,e,r;for(t=this._first,r=[];t!=null;)r.push((e=t,t=t.next,e.value));return r}forEachShift(t){var e;for(e=this.shift();e!=null;)t(e),e=this.shift()}debug(){var t,e,r,n,s;for(t=this._first,s=[];t!=null;)s.push((e=t,t=t.next,{value:e.value,prev:(r=e.prev)!=null?r.value:void 0,next:(n=e.next)!=null?n.value:void 0}));return s}};te.exports=ee});var I=m((er,se)=>{"use strict";function re(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function ne(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){re(s,r,n,o,a,"next",l)}function a(l){re(s,r,n,o,a,"throw",l)}o(void 0)})}}var ie;ie=class{constructor(t){if(this.instance=t,this._events={},this.instance.on!=null||this.instance.once!=null||this.instance.removeAllListeners!=null)throw new Error("An Emitter already exists for this object");this.instance.on=(e,r)=>this._addListener(e,"many",r),this.instance.once=(e,r)=>this._addListener(e,"once",r),this.instance.removeAllListeners=(e=null)=>e!=null?delete this._events[e]:this._events={}}_addListener(t,e,r){var n;return(n=this._events)[t]==null&&(n[t]=[]),this._events[t].push({cb:r,status:e}),this.instance}listenerCount(t){return this._events[t]!=null?this._events[t].length:0}trigger(t,...e){var r=this;return ne(function*(){var n,s;try{return t!=="debug"&&r.trigger("debug",`Event triggered: ${t}`,e),r._events[t]==null?void 0:(r._events[t]=r._events[t].filter(function(o){return o.status!=="none"}),s=r._events[t].map((function(){var o=ne(function*(a){var l,u;if(a.status!=="none"){a.status==="once"&&(a.status="none");try{return u=typeof a.cb=="function"?a.cb(...e):void 0,typeof u?.then=="function"?yield u:u}catch(c){return l=c,r.trigger("error",l),null}}});return function(a){return o.apply(this,arguments)}})()),(yield Promise.all(s)).find(function(o){return o!=null}))}catch(o){return n=o,r.trigger("error",n),null}})()}};se.exports=ie});var ce=m((rr,ue)=>{"use strict";var oe,ae,le;oe=K();ae=I();le=class{constructor(t){var e;this.Events=new ae(this),this._length=0,this._lists=function(){var r,n,s;for(s=[],e=r=1,n=t;1<=n?r<=n:r>=n;e=1<=n?++r:--r)s.push(new oe(()=>this.incr(),()=>this.decr()));return s}.call(this)}incr(){if(this._length++===0)return this.Events.trigger("leftzero")}decr(){if(--this._length===0)return this.Events.trigger("zero")}push(t){return this._lists[t.options.priority].push(t)}queued(t){return t!=null?this._lists[t].length:this._length}shiftAll(t){return this._lists.forEach(function(e){return e.forEachShift(t)})}getFirst(t=this._lists){var e,r,n;for(e=0,r=t.length;e<r;e++)if(n=t[e],n.length>0)return n;return[]}shiftLastFrom(t){return this.getFirst(this._lists.slice(t).reverse()).shift()}};ue.exports=le});var T=m((ir,de)=>{"use strict";var he;he=class extends Error{};de.exports=he});var ge=m((or,ye)=>{"use strict";function _e(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function pe(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){_e(s,r,n,o,a,"next",l)}function a(l){_e(s,r,n,o,a,"throw",l)}o(void 0)})}}var q,fe,ve,B,me;B=10;fe=5;me=S();q=T();ve=class{constructor(t,e,r,n,s,o,a,l){this.task=t,this.args=e,this.rejectOnDrop=s,this.Events=o,this._states=a,this.Promise=l,this.options=me.load(r,n),this.options.priority=this._sanitizePriority(this.options.priority),this.options.id===n.id&&(this.options.id=`${this.options.id}-${this._randomIndex()}`),this.promise=new this.Promise((u,c)=>{this._resolve=u,this._reject=c}),this.retryCount=0}_sanitizePriority(t){var e;return e=~~t!==t?fe:t,e<0?0:e>B-1?B-1:e}_randomIndex(){return Math.random().toString(36).slice(2)}doDrop({error:t,message:e="This job has been dropped by Bottleneck"}={}){return this._states.remove(this.options.id)?(this.rejectOnDrop&&this._reject(t??new q(e)),this.Events.trigger("dropped",{args:this.args,options:this.options,task:this.task,promise:this.promise}),!0):!1}_assertStatus(t){var e;if(e=this._states.jobStatus(this.options.id),!(e===t||t==="DONE"&&e===null))throw new q(`Invalid job status ${e}, expected ${t}. Please open an issue at https://github.com/SGrondin/bottleneck/issues`)}doReceive(){return this._states.start(this.options.id),this.Events.trigger("received",{args:this.args,options:this.options})}doQueue(t,e){return this._assertStatus("RECEIVED"),this._states.next(this.options.id),this.Events.trigger("queued",{args:this.args,options:this.options,reachedHWM:t,blocked:e})}doRun(){return this.retryCount===0?(this._assertStatus("QUEUED"),this._states.next(this.options.id)):this._assertStatus("EXECUTING"),this.Events.trigger("scheduled",{args:this.args,options:this.options})}doExecute(t,e,r,n){var s=this;return pe(function*(){var o,a,l;s.retryCount===0?(s._assertStatus("RUNNING"),s._states.next(s.options.id)):s._assertStatus("EXECUTING"),a={args:s.args,options:s.options,retryCount:s.retryCount},s.Events.trigger("executing",a);try{if(l=yield t!=null?t.schedule(s.options,s.task,...s.args):s.task(...s.args),e())return s.doDone(a),yield n(s.options,a),s._assertStatus("DONE"),s._resolve(l)}catch(u){return o=u,s._onFailure(o,a,e,r,n)}})()}doExpire(t,e,r){var n,s;return this._states.jobStatus(this.options.id==="RUNNING")&&this._states.next(this.options.id),this._assertStatus("EXECUTING"),s={args:this.args,options:this.options,retryCount:this.retryCount},n=new q(`This job timed out after ${this.options.expiration} ms.`),this._onFailure(n,s,t,e,r)}_onFailure(t,e,r,n,s){var o=this;return pe(function*(){var a,l;if(r())return a=yield o.Events.trigger("failed",t,e),a!=null?(l=~~a,o.Events.trigger("retry",`Retrying ${o.options.id} after ${l} ms`,e),o.retryCount++,n(l)):(o.doDone(e),yield s(o.options,e),o._assertStatus("DONE"),o._reject(t))})()}doDone(t){return this._assertStatus("EXECUTING"),this._states.next(this.options.id),this.Events.trigger("done",t)}};ye.exports=ve});var Re=m((lr,xe)=>{"use strict";function be(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function b(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){be(s,r,n,o,a,"next",l)}function a(l){be(s,r,n,o,a,"throw",l)}o(void 0)})}}var ke,we,z;z=S();ke=T();we=class{constructor(t,e,r){this.instance=t,this.storeOptions=e,this.clientId=this.instance._randomIndex(),z.load(r,r,this),this._nextRequest=this._lastReservoirRefresh=this._lastReservoirIncrease=Date.now(),this._running=0,this._done=0,this._unblockTime=0,this.ready=this.Promise.resolve(),this.clients={},this._startHeartbeat()}_startHeartbeat(){var t;return this.heartbeat==null&&(this.storeOptions.reservoirRefreshInterval!=null&&this.storeOptions.reservoirRefreshAmount!=null||this.storeOptions.reservoirIncreaseInterval!=null&&this.storeOptions.reservoirIncreaseAmount!=null)?typeof(t=this.heartbeat=setInterval(()=>{var e,r,n,s,o;if(s=Date.now(),this.storeOptions.reservoirRefreshInterval!=null&&s>=this._lastReservoirRefresh+this.storeOptions.reservoirRefreshInterval&&(this._lastReservoirRefresh=s,this.storeOptions.reservoir=this.storeOptions.reservoirRefreshAmount,this.instance._drainAll(this.computeCapacity())),this.storeOptions.reservoirIncreaseInterval!=null&&s>=this._lastReservoirIncrease+this.storeOptions.reservoirIncreaseInterval){var a=this.storeOptions;if(e=a.reservoirIncreaseAmount,n=a.reservoirIncreaseMaximum,o=a.reservoir,this._lastReservoirIncrease=s,r=n!=null?Math.min(e,n-o):e,r>0)return this.storeOptions.reservoir+=r,this.instance._drainAll(this.computeCapacity())}},this.heartbeatInterval)).unref=="function"?t.unref():void 0:clearInterval(this.heartbeat)}__publish__(t){var e=this;return b(function*(){return yield e.yieldLoop(),e.instance.Events.trigger("message",t.toString())})()}__disconnect__(t){var e=this;return b(function*(){return yield e.yieldLoop(),clearInterval(e.heartbeat),e.Promise.resolve()})()}yieldLoop(t=0){return new this.Promise(function(e,r){return setTimeout(e,t)})}computePenalty(){var t;return(t=this.storeOptions.penalty)!=null?t:15*this.storeOptions.minTime||5e3}__updateSettings__(t){var e=this;return b(function*(){return yield e.yieldLoop(),z.overwrite(t,t,e.storeOptions),e._startHeartbeat(),e.instance._drainAll(e.computeCapacity()),!0})()}__running__(){var t=this;return b(function*(){return yield t.yieldLoop(),t._running})()}__queued__(){var t=this;return b(function*(){return yield t.yieldLoop(),t.instance.queued()})()}__done__(){var t=this;return b(function*(){return yield t.yieldLoop(),t._done})()}__groupCheck__(t){var e=this;return b(function*(){return yield e.yieldLoop(),e._nextRequest+e.timeout<t})()}computeCapacity(){var t,e,r=this.storeOptions;return t=r.maxConcurrent,e=r.reservoir,t!=null&&e!=null?Math.min(t-this._running,e):t!=null?t-this._running:e??null}conditionsCheck(t){var e;return e=this.computeCapacity(),e==null||t<=e}__incrementReservoir__(t){var e=this;return b(function*(){var r;return yield e.yieldLoop(),r=e.storeOptions.reservoir+=t,e.instance._drainAll(e.computeCapacity()),r})()}__currentReservoir__(){var t=this;return b(function*(){return yield t.yieldLoop(),t.storeOptions.reservoir})()}isBlocked(t){return this._unblockTime>=t}check(t,e){return this.conditionsCheck(t)&&this._nextRequest-e<=0}__check__(t){var e=this;return b(function*(){var r;return yield e.yieldLoop(),r=Date.now(),e.check(t,r)})()}__register__(t,e,r){var n=this;return b(function*(){var s,o;return yield n.yieldLoop(),s=Date.now(),n.conditionsCheck(e)?(n._running+=e,n.storeOptions.reservoir!=null&&(n.storeOptions.reservoir-=e),o=Math.max(n._nextRequest-s,0),n._nextRequest=s+o+n.storeOptions.minTime,{success:!0,wait:o,reservoir:n.storeOptions.reservoir}):{success:!1}})()}strategyIsBlock(){return this.storeOptions.strategy===3}__submit__(t,e){var r=this;return b(function*(){var n,s,o;if(yield r.yieldLoop(),r.storeOptions.maxConcurrent!=null&&e>r.storeOptions.maxConcurrent)throw new ke(`Impossible to add a job having a weight of ${e} to a limiter having a maxConcurrent setting of ${r.storeOptions.maxConcurrent}`);return s=Date.now(),o=r.storeOptions.highWater!=null&&t===r.storeOptions.highWater&&!r.check(e,s),n=r.strategyIsBlock()&&(o||r.isBlocked(s)),n&&(r._unblockTime=s+r.computePenalty(),r._nextRequest=r._unblockTime+r.storeOptions.minTime,r.instance._dropAllQueued()),{reachedHWM:o,blocked:n,strategy:r.storeOptions.strategy}})()}__free__(t,e){var r=this;return b(function*(){return yield r.yieldLoop(),r._running-=e,r._done+=e,r.instance._drainAll(r.computeCapacity()),{running:r._running}})()}};xe.exports=we});var Ee=m((ur,Ct)=>{Ct.exports={"blacklist_client.lua":`local blacklist = ARGV[num_static_argv + 1]

if redis.call('zscore', client_last_seen_key, blacklist) then
  redis.call('zadd', client_last_seen_key, 0, blacklist)
end


return {}
`,"check.lua":`local weight = tonumber(ARGV[num_static_argv + 1])

local capacity = process_tick(now, false)['capacity']
local nextRequest = tonumber(redis.call('hget', settings_key, 'nextRequest'))

return conditions_check(capacity, weight) and nextRequest - now <= 0
`,"conditions_check.lua":`local conditions_check = function (capacity, weight)
  return capacity == nil or weight <= capacity
end
`,"current_reservoir.lua":`return process_tick(now, false)['reservoir']
`,"done.lua":`process_tick(now, false)

return tonumber(redis.call('hget', settings_key, 'done'))
`,"free.lua":`local index = ARGV[num_static_argv + 1]

redis.call('zadd', job_expirations_key, 0, index)

return process_tick(now, false)['running']
`,"get_time.lua":`redis.replicate_commands()

local get_time = function ()
  local time = redis.call('time')

  return tonumber(time[1]..string.sub(time[2], 1, 3))
end
`,"group_check.lua":`return not (redis.call('exists', settings_key) == 1)
`,"heartbeat.lua":`process_tick(now, true)
`,"increment_reservoir.lua":`local incr = tonumber(ARGV[num_static_argv + 1])

redis.call('hincrby', settings_key, 'reservoir', incr)

local reservoir = process_tick(now, true)['reservoir']

local groupTimeout = tonumber(redis.call('hget', settings_key, 'groupTimeout'))
refresh_expiration(0, 0, groupTimeout)

return reservoir
`,"init.lua":`local clear = tonumber(ARGV[num_static_argv + 1])
local limiter_version = ARGV[num_static_argv + 2]
local num_local_argv = num_static_argv + 2

if clear == 1 then
  redis.call('del', unpack(KEYS))
end

if redis.call('exists', settings_key) == 0 then
  -- Create
  local args = {'hmset', settings_key}

  for i = num_local_argv + 1, #ARGV do
    table.insert(args, ARGV[i])
  end

  redis.call(unpack(args))
  redis.call('hmset', settings_key,
    'nextRequest', now,
    'lastReservoirRefresh', now,
    'lastReservoirIncrease', now,
    'running', 0,
    'done', 0,
    'unblockTime', 0,
    'capacityPriorityCounter', 0
  )

else
  -- Apply migrations
  local settings = redis.call('hmget', settings_key,
    'id',
    'version'
  )
  local id = settings[1]
  local current_version = settings[2]

  if current_version ~= limiter_version then
    local version_digits = {}
    for k, v in string.gmatch(current_version, "([^.]+)") do
      table.insert(version_digits, tonumber(k))
    end

    -- 2.10.0
    if version_digits[2] < 10 then
      redis.call('hsetnx', settings_key, 'reservoirRefreshInterval', '')
      redis.call('hsetnx', settings_key, 'reservoirRefreshAmount', '')
      redis.call('hsetnx', settings_key, 'lastReservoirRefresh', '')
      redis.call('hsetnx', settings_key, 'done', 0)
      redis.call('hset', settings_key, 'version', '2.10.0')
    end

    -- 2.11.1
    if version_digits[2] < 11 or (version_digits[2] == 11 and version_digits[3] < 1) then
      if redis.call('hstrlen', settings_key, 'lastReservoirRefresh') == 0 then
        redis.call('hmset', settings_key,
          'lastReservoirRefresh', now,
          'version', '2.11.1'
        )
      end
    end

    -- 2.14.0
    if version_digits[2] < 14 then
      local old_running_key = 'b_'..id..'_running'
      local old_executing_key = 'b_'..id..'_executing'

      if redis.call('exists', old_running_key) == 1 then
        redis.call('rename', old_running_key, job_weights_key)
      end
      if redis.call('exists', old_executing_key) == 1 then
        redis.call('rename', old_executing_key, job_expirations_key)
      end
      redis.call('hset', settings_key, 'version', '2.14.0')
    end

    -- 2.15.2
    if version_digits[2] < 15 or (version_digits[2] == 15 and version_digits[3] < 2) then
      redis.call('hsetnx', settings_key, 'capacityPriorityCounter', 0)
      redis.call('hset', settings_key, 'version', '2.15.2')
    end

    -- 2.17.0
    if version_digits[2] < 17 then
      redis.call('hsetnx', settings_key, 'clientTimeout', 10000)
      redis.call('hset', settings_key, 'version', '2.17.0')
    end

    -- 2.18.0
    if version_digits[2] < 18 then
      redis.call('hsetnx', settings_key, 'reservoirIncreaseInterval', '')
      redis.call('hsetnx', settings_key, 'reservoirIncreaseAmount', '')
      redis.call('hsetnx', settings_key, 'reservoirIncreaseMaximum', '')
      redis.call('hsetnx', settings_key, 'lastReservoirIncrease', now)
      redis.call('hset', settings_key, 'version', '2.18.0')
    end

  end

  process_tick(now, false)
end

local groupTimeout = tonumber(redis.call('hget', settings_key, 'groupTimeout'))
refresh_expiration(0, 0, groupTimeout)

return {}
`,"process_tick.lua":`local process_tick = function (now, always_publish)

  local compute_capacity = function (maxConcurrent, running, reservoir)
    if maxConcurrent ~= nil and reservoir ~= nil then
      return math.min((maxConcurrent - running), reservoir)
    elseif maxConcurrent ~= nil then
      return maxConcurrent - running
    elseif reservoir ~= nil then
      return reservoir
    else
      return nil
    end
  end

  local settings = redis.call('hmget', settings_key,
    'id',
    'maxConcurrent',
    'running',
    'reservoir',
    'reservoirRefreshInterval',
    'reservoirRefreshAmount',
    'lastReservoirRefresh',
    'reservoirIncreaseInterval',
    'reservoirIncreaseAmount',
    'reservoirIncreaseMaximum',
    'lastReservoirIncrease',
    'capacityPriorityCounter',
    'clientTimeout'
  )
  local id = settings[1]
  local maxConcurrent = tonumber(settings[2])
  local running = tonumber(settings[3])
  local reservoir = tonumber(settings[4])
  local reservoirRefreshInterval = tonumber(settings[5])
  local reservoirRefreshAmount = tonumber(settings[6])
  local lastReservoirRefresh = tonumber(settings[7])
  local reservoirIncreaseInterval = tonumber(settings[8])
  local reservoirIncreaseAmount = tonumber(settings[9])
  local reservoirIncreaseMaximum = tonumber(settings[10])
  local lastReservoirIncrease = tonumber(settings[11])
  local capacityPriorityCounter = tonumber(settings[12])
  local clientTimeout = tonumber(settings[13])

  local initial_capacity = compute_capacity(maxConcurrent, running, reservoir)

  --
  -- Process 'running' changes
  --
  local expired = redis.call('zrangebyscore', job_expirations_key, '-inf', '('..now)

  if #expired > 0 then
    redis.call('zremrangebyscore', job_expirations_key, '-inf', '('..now)

    local flush_batch = function (batch, acc)
      local weights = redis.call('hmget', job_weights_key, unpack(batch))
                      redis.call('hdel',  job_weights_key, unpack(batch))
      local clients = redis.call('hmget', job_clients_key, unpack(batch))
                      redis.call('hdel',  job_clients_key, unpack(batch))

      -- Calculate sum of removed weights
      for i = 1, #weights do
        acc['total'] = acc['total'] + (tonumber(weights[i]) or 0)
      end

      -- Calculate sum of removed weights by client
      local client_weights = {}
      for i = 1, #clients do
        local removed = tonumber(weights[i]) or 0
        if removed > 0 then
          acc['client_weights'][clients[i]] = (acc['client_weights'][clients[i]] or 0) + removed
        end
      end
    end

    local acc = {
      ['total'] = 0,
      ['client_weights'] = {}
    }
    local batch_size = 1000

    -- Compute changes to Zsets and apply changes to Hashes
    for i = 1, #expired, batch_size do
      local batch = {}
      for j = i, math.min(i + batch_size - 1, #expired) do
        table.insert(batch, expired[j])
      end

      flush_batch(batch, acc)
    end

    -- Apply changes to Zsets
    if acc['total'] > 0 then
      redis.call('hincrby', settings_key, 'done', acc['total'])
      running = tonumber(redis.call('hincrby', settings_key, 'running', -acc['total']))
    end

    for client, weight in pairs(acc['client_weights']) do
      redis.call('zincrby', client_running_key, -weight, client)
    end
  end

  --
  -- Process 'reservoir' changes
  --
  local reservoirRefreshActive = reservoirRefreshInterval ~= nil and reservoirRefreshAmount ~= nil
  if reservoirRefreshActive and now >= lastReservoirRefresh + reservoirRefreshInterval then
    reservoir = reservoirRefreshAmount
    redis.call('hmset', settings_key,
      'reservoir', reservoir,
      'lastReservoirRefresh', now
    )
  end

  local reservoirIncreaseActive = reservoirIncreaseInterval ~= nil and reservoirIncreaseAmount ~= nil
  if reservoirIncreaseActive and now >= lastReservoirIncrease + reservoirIncreaseInterval then
    local num_intervals = math.floor((now - lastReservoirIncrease) / reservoirIncreaseInterval)
    local incr = reservoirIncreaseAmount * num_intervals
    if reservoirIncreaseMaximum ~= nil then
      incr = math.min(incr, reservoirIncreaseMaximum - (reservoir or 0))
    end
    if incr > 0 then
      reservoir = (reservoir or 0) + incr
    end
    redis.call('hmset', settings_key,
      'reservoir', reservoir,
      'lastReservoirIncrease', lastReservoirIncrease + (num_intervals * reservoirIncreaseInterval)
    )
  end

  --
  -- Clear unresponsive clients
  --
  local unresponsive = redis.call('zrangebyscore', client_last_seen_key, '-inf', (now - clientTimeout))
  local unresponsive_lookup = {}
  local terminated_clients = {}
  for i = 1, #unresponsive do
    unresponsive_lookup[unresponsive[i]] = true
    if tonumber(redis.call('zscore', client_running_key, unresponsive[i])) == 0 then
      table.insert(terminated_clients, unresponsive[i])
    end
  end
  if #terminated_clients > 0 then
    redis.call('zrem', client_running_key,         unpack(terminated_clients))
    redis.call('hdel', client_num_queued_key,      unpack(terminated_clients))
    redis.call('zrem', client_last_registered_key, unpack(terminated_clients))
    redis.call('zrem', client_last_seen_key,       unpack(terminated_clients))
  end

  --
  -- Broadcast capacity changes
  --
  local final_capacity = compute_capacity(maxConcurrent, running, reservoir)

  if always_publish or (initial_capacity ~= nil and final_capacity == nil) then
    -- always_publish or was not unlimited, now unlimited
    redis.call('publish', 'b_'..id, 'capacity:'..(final_capacity or ''))

  elseif initial_capacity ~= nil and final_capacity ~= nil and final_capacity > initial_capacity then
    -- capacity was increased
    -- send the capacity message to the limiter having the lowest number of running jobs
    -- the tiebreaker is the limiter having not registered a job in the longest time

    local lowest_concurrency_value = nil
    local lowest_concurrency_clients = {}
    local lowest_concurrency_last_registered = {}
    local client_concurrencies = redis.call('zrange', client_running_key, 0, -1, 'withscores')

    for i = 1, #client_concurrencies, 2 do
      local client = client_concurrencies[i]
      local concurrency = tonumber(client_concurrencies[i+1])

      if (
        lowest_concurrency_value == nil or lowest_concurrency_value == concurrency
      ) and (
        not unresponsive_lookup[client]
      ) and (
        tonumber(redis.call('hget', client_num_queued_key, client)) > 0
      ) then
        lowest_concurrency_value = concurrency
        table.insert(lowest_concurrency_clients, client)
        local last_registered = tonumber(redis.call('zscore', client_last_registered_key, client))
        table.insert(lowest_concurrency_last_registered, last_registered)
      end
    end

    if #lowest_concurrency_clients > 0 then
      local position = 1
      local earliest = lowest_concurrency_last_registered[1]

      for i,v in ipairs(lowest_concurrency_last_registered) do
        if v < earliest then
          position = i
          earliest = v
        end
      end

      local next_client = lowest_concurrency_clients[position]
      redis.call('publish', 'b_'..id,
        'capacity-priority:'..(final_capacity or '')..
        ':'..next_client..
        ':'..capacityPriorityCounter
      )
      redis.call('hincrby', settings_key, 'capacityPriorityCounter', '1')
    else
      redis.call('publish', 'b_'..id, 'capacity:'..(final_capacity or ''))
    end
  end

  return {
    ['capacity'] = final_capacity,
    ['running'] = running,
    ['reservoir'] = reservoir
  }
end
`,"queued.lua":`local clientTimeout = tonumber(redis.call('hget', settings_key, 'clientTimeout'))
local valid_clients = redis.call('zrangebyscore', client_last_seen_key, (now - clientTimeout), 'inf')
local client_queued = redis.call('hmget', client_num_queued_key, unpack(valid_clients))

local sum = 0
for i = 1, #client_queued do
  sum = sum + tonumber(client_queued[i])
end

return sum
`,"refresh_expiration.lua":`local refresh_expiration = function (now, nextRequest, groupTimeout)

  if groupTimeout ~= nil then
    local ttl = (nextRequest + groupTimeout) - now

    for i = 1, #KEYS do
      redis.call('pexpire', KEYS[i], ttl)
    end
  end

end
`,"refs.lua":`local settings_key = KEYS[1]
local job_weights_key = KEYS[2]
local job_expirations_key = KEYS[3]
local job_clients_key = KEYS[4]
local client_running_key = KEYS[5]
local client_num_queued_key = KEYS[6]
local client_last_registered_key = KEYS[7]
local client_last_seen_key = KEYS[8]

local now = tonumber(ARGV[1])
local client = ARGV[2]

local num_static_argv = 2
`,"register.lua":`local index = ARGV[num_static_argv + 1]
local weight = tonumber(ARGV[num_static_argv + 2])
local expiration = tonumber(ARGV[num_static_argv + 3])

local state = process_tick(now, false)
local capacity = state['capacity']
local reservoir = state['reservoir']

local settings = redis.call('hmget', settings_key,
  'nextRequest',
  'minTime',
  'groupTimeout'
)
local nextRequest = tonumber(settings[1])
local minTime = tonumber(settings[2])
local groupTimeout = tonumber(settings[3])

if conditions_check(capacity, weight) then

  redis.call('hincrby', settings_key, 'running', weight)
  redis.call('hset', job_weights_key, index, weight)
  if expiration ~= nil then
    redis.call('zadd', job_expirations_key, now + expiration, index)
  end
  redis.call('hset', job_clients_key, index, client)
  redis.call('zincrby', client_running_key, weight, client)
  redis.call('hincrby', client_num_queued_key, client, -1)
  redis.call('zadd', client_last_registered_key, now, client)

  local wait = math.max(nextRequest - now, 0)
  local newNextRequest = now + wait + minTime

  if reservoir == nil then
    redis.call('hset', settings_key,
      'nextRequest', newNextRequest
    )
  else
    reservoir = reservoir - weight
    redis.call('hmset', settings_key,
      'reservoir', reservoir,
      'nextRequest', newNextRequest
    )
  end

  refresh_expiration(now, newNextRequest, groupTimeout)

  return {true, wait, reservoir}

else
  return {false}
end
`,"register_client.lua":`local queued = tonumber(ARGV[num_static_argv + 1])

-- Could have been re-registered concurrently
if not redis.call('zscore', client_last_seen_key, client) then
  redis.call('zadd', client_running_key, 0, client)
  redis.call('hset', client_num_queued_key, client, queued)
  redis.call('zadd', client_last_registered_key, 0, client)
end

redis.call('zadd', client_last_seen_key, now, client)

return {}
`,"running.lua":`return process_tick(now, false)['running']
`,"submit.lua":`local queueLength = tonumber(ARGV[num_static_argv + 1])
local weight = tonumber(ARGV[num_static_argv + 2])

local capacity = process_tick(now, false)['capacity']

local settings = redis.call('hmget', settings_key,
  'id',
  'maxConcurrent',
  'highWater',
  'nextRequest',
  'strategy',
  'unblockTime',
  'penalty',
  'minTime',
  'groupTimeout'
)
local id = settings[1]
local maxConcurrent = tonumber(settings[2])
local highWater = tonumber(settings[3])
local nextRequest = tonumber(settings[4])
local strategy = tonumber(settings[5])
local unblockTime = tonumber(settings[6])
local penalty = tonumber(settings[7])
local minTime = tonumber(settings[8])
local groupTimeout = tonumber(settings[9])

if maxConcurrent ~= nil and weight > maxConcurrent then
  return redis.error_reply('OVERWEIGHT:'..weight..':'..maxConcurrent)
end

local reachedHWM = (highWater ~= nil and queueLength == highWater
  and not (
    conditions_check(capacity, weight)
    and nextRequest - now <= 0
  )
)

local blocked = strategy == 3 and (reachedHWM or unblockTime >= now)

if blocked then
  local computedPenalty = penalty
  if computedPenalty == nil then
    if minTime == 0 then
      computedPenalty = 5000
    else
      computedPenalty = 15 * minTime
    end
  end

  local newNextRequest = now + computedPenalty + minTime

  redis.call('hmset', settings_key,
    'unblockTime', now + computedPenalty,
    'nextRequest', newNextRequest
  )

  local clients_queued_reset = redis.call('hkeys', client_num_queued_key)
  local queued_reset = {}
  for i = 1, #clients_queued_reset do
    table.insert(queued_reset, clients_queued_reset[i])
    table.insert(queued_reset, 0)
  end
  redis.call('hmset', client_num_queued_key, unpack(queued_reset))

  redis.call('publish', 'b_'..id, 'blocked:')

  refresh_expiration(now, newNextRequest, groupTimeout)
end

if not blocked and not reachedHWM then
  redis.call('hincrby', client_num_queued_key, client, 1)
end

return {reachedHWM, blocked, strategy}
`,"update_settings.lua":`local args = {'hmset', settings_key}

for i = num_static_argv + 1, #ARGV do
  table.insert(args, ARGV[i])
end

redis.call(unpack(args))

process_tick(now, true)

local groupTimeout = tonumber(redis.call('hget', settings_key, 'groupTimeout'))
refresh_expiration(0, 0, groupTimeout)

return {}
`,"validate_client.lua":`if not redis.call('zscore', client_last_seen_key, client) then
  return redis.error_reply('UNKNOWN_CLIENT')
end

redis.call('zadd', client_last_seen_key, now, client)
`,"validate_keys.lua":`if not (redis.call('exists', settings_key) == 1) then
  return redis.error_reply('SETTINGS_KEY_NOT_FOUND')
end
`}});var A=m(f=>{"use strict";var O,_,P;_=Ee();O={refs:_["refs.lua"],validate_keys:_["validate_keys.lua"],validate_client:_["validate_client.lua"],refresh_expiration:_["refresh_expiration.lua"],process_tick:_["process_tick.lua"],conditions_check:_["conditions_check.lua"],get_time:_["get_time.lua"]};f.allKeys=function(i){return[`b_${i}_settings`,`b_${i}_job_weights`,`b_${i}_job_expirations`,`b_${i}_job_clients`,`b_${i}_client_running`,`b_${i}_client_num_queued`,`b_${i}_client_last_registered`,`b_${i}_client_last_seen`]};P={init:{keys:f.allKeys,headers:["process_tick"],refresh_expiration:!0,code:_["init.lua"]},group_check:{keys:f.allKeys,headers:[],refresh_expiration:!1,code:_["group_check.lua"]},register_client:{keys:f.allKeys,headers:["validate_keys"],refresh_expiration:!1,code:_["register_client.lua"]},blacklist_client:{keys:f.allKeys,headers:["validate_keys","validate_client"],refresh_expiration:!1,code:_["blacklist_client.lua"]},heartbeat:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!1,code:_["heartbeat.lua"]},update_settings:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!0,code:_["update_settings.lua"]},running:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!1,code:_["running.lua"]},queued:{keys:f.allKeys,headers:["validate_keys","validate_client"],refresh_expiration:!1,code:_["queued.lua"]},done:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!1,code:_["done.lua"]},check:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick","conditions_check"],refresh_expiration:!1,code:_["check.lua"]},submit:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick","conditions_check"],refresh_expiration:!0,code:_["submit.lua"]},register:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick","conditions_check"],refresh_expiration:!0,code:_["register.lua"]},free:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!0,code:_["free.lua"]},current_reservoir:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!1,code:_["current_reservoir.lua"]},increment_reservoir:{keys:f.allKeys,headers:["validate_keys","validate_client","process_tick"],refresh_expiration:!0,code:_["increment_reservoir.lua"]}};f.names=Object.keys(P);f.keys=function(i,t){return P[i].keys(t)};f.payload=function(i){var t;return t=P[i],Array.prototype.concat(O.refs,t.headers.map(function(e){return O[e]}),t.refresh_expiration?O.refresh_expiration:"",t.code).join(`
`)}});var L=m((exports,module)=>{"use strict";function asyncGeneratorStep(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function _asyncToGenerator(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){asyncGeneratorStep(s,r,n,o,a,"next",l)}function a(l){asyncGeneratorStep(s,r,n,o,a,"throw",l)}o(void 0)})}}var Events,RedisConnection,Scripts,parser;parser=S();Events=I();Scripts=A();RedisConnection=function(){class RedisConnection{constructor(options={}){parser.load(options,this.defaults,this),this.Redis==null&&(this.Redis=eval("require")("redis")),this.Events==null&&(this.Events=new Events(this)),this.terminated=!1,this.client==null&&(this.client=this.Redis.createClient(this.clientOptions)),this.subscriber=this.client.duplicate(),this.limiters={},this.shas={},this.ready=this.Promise.all([this._setup(this.client,!1),this._setup(this.subscriber,!0)]).then(()=>this._loadScripts()).then(()=>({client:this.client,subscriber:this.subscriber}))}_setup(i,t){return i.setMaxListeners(0),new this.Promise((e,r)=>(i.on("error",n=>this.Events.trigger("error",n)),t&&i.on("message",(n,s)=>{var o;return(o=this.limiters[n])!=null?o._store.onMessage(n,s):void 0}),i.ready?e():i.once("ready",e)))}_loadScript(i){return new this.Promise((t,e)=>{var r;return r=Scripts.payload(i),this.client.multi([["script","load",r]]).exec((n,s)=>n!=null?e(n):(this.shas[i]=s[0],t(s[0])))})}_loadScripts(){return this.Promise.all(Scripts.names.map(i=>this._loadScript(i)))}__runCommand__(i){var t=this;return _asyncToGenerator(function*(){return yield t.ready,new t.Promise((e,r)=>t.client.multi([i]).exec_atomic(function(n,s){return n!=null?r(n):e(s[0])}))})()}__addLimiter__(i){return this.Promise.all([i.channel(),i.channel_client()].map(t=>new this.Promise((e,r)=>{var n;return n=s=>{if(s===t)return this.subscriber.removeListener("subscribe",n),this.limiters[t]=i,e()},this.subscriber.on("subscribe",n),this.subscriber.subscribe(t)})))}__removeLimiter__(i){var t=this;return this.Promise.all([i.channel(),i.channel_client()].map((function(){var e=_asyncToGenerator(function*(r){return t.terminated||(yield new t.Promise((n,s)=>t.subscriber.unsubscribe(r,function(o,a){if(o!=null)return s(o);if(a===r)return n()}))),delete t.limiters[r]});return function(r){return e.apply(this,arguments)}})()))}__scriptArgs__(i,t,e,r){var n;return n=Scripts.keys(i,t),[this.shas[i],n.length].concat(n,e,r)}__scriptFn__(i){return this.client.evalsha.bind(this.client)}disconnect(i=!0){var t,e,r,n;for(n=Object.keys(this.limiters),t=0,r=n.length;t<r;t++)e=n[t],clearInterval(this.limiters[e]._store.heartbeat);return this.limiters={},this.terminated=!0,this.client.end(i),this.subscriber.end(i),this.Promise.resolve()}}return RedisConnection.prototype.datastore="redis",RedisConnection.prototype.defaults={Redis:null,clientOptions:{},client:null,Promise,Events:null},RedisConnection}.call(void 0);module.exports=RedisConnection});var D=m((exports,module)=>{"use strict";function _slicedToArray(i,t){return _arrayWithHoles(i)||_iterableToArrayLimit(i,t)||_nonIterableRest()}function _nonIterableRest(){throw new TypeError("Invalid attempt to destructure non-iterable instance")}function _iterableToArrayLimit(i,t){var e=[],r=!0,n=!1,s=void 0;try{for(var o=i[Symbol.iterator](),a;!(r=(a=o.next()).done)&&(e.push(a.value),!(t&&e.length===t));r=!0);}catch(l){n=!0,s=l}finally{try{!r&&o.return!=null&&o.return()}finally{if(n)throw s}}return e}function _arrayWithHoles(i){if(Array.isArray(i))return i}function asyncGeneratorStep(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function _asyncToGenerator(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){asyncGeneratorStep(s,r,n,o,a,"next",l)}function a(l){asyncGeneratorStep(s,r,n,o,a,"throw",l)}o(void 0)})}}var Events,IORedisConnection,Scripts,parser;parser=S();Events=I();Scripts=A();IORedisConnection=function(){class IORedisConnection{constructor(options={}){parser.load(options,this.defaults,this),this.Redis==null&&(this.Redis=eval("require")("ioredis")),this.Events==null&&(this.Events=new Events(this)),this.terminated=!1,this.clusterNodes!=null?(this.client=new this.Redis.Cluster(this.clusterNodes,this.clientOptions),this.subscriber=new this.Redis.Cluster(this.clusterNodes,this.clientOptions)):this.client!=null&&this.client.duplicate==null?this.subscriber=new this.Redis.Cluster(this.client.startupNodes,this.client.options):(this.client==null&&(this.client=new this.Redis(this.clientOptions)),this.subscriber=this.client.duplicate()),this.limiters={},this.ready=this.Promise.all([this._setup(this.client,!1),this._setup(this.subscriber,!0)]).then(()=>(this._loadScripts(),{client:this.client,subscriber:this.subscriber}))}_setup(i,t){return i.setMaxListeners(0),new this.Promise((e,r)=>(i.on("error",n=>this.Events.trigger("error",n)),t&&i.on("message",(n,s)=>{var o;return(o=this.limiters[n])!=null?o._store.onMessage(n,s):void 0}),i.status==="ready"?e():i.once("ready",e)))}_loadScripts(){return Scripts.names.forEach(i=>this.client.defineCommand(i,{lua:Scripts.payload(i)}))}__runCommand__(i){var t=this;return _asyncToGenerator(function*(){var e,r;yield t.ready;var n=yield t.client.pipeline([i]).exec(),s=_slicedToArray(n,1),o=_slicedToArray(s[0],2);return e=o[0],r=o[1],r})()}__addLimiter__(i){return this.Promise.all([i.channel(),i.channel_client()].map(t=>new this.Promise((e,r)=>this.subscriber.subscribe(t,()=>(this.limiters[t]=i,e())))))}__removeLimiter__(i){var t=this;return[i.channel(),i.channel_client()].forEach((function(){var e=_asyncToGenerator(function*(r){return t.terminated||(yield t.subscriber.unsubscribe(r)),delete t.limiters[r]});return function(r){return e.apply(this,arguments)}})())}__scriptArgs__(i,t,e,r){var n;return n=Scripts.keys(i,t),[n.length].concat(n,e,r)}__scriptFn__(i){return this.client[i].bind(this.client)}disconnect(i=!0){var t,e,r,n;for(n=Object.keys(this.limiters),t=0,r=n.length;t<r;t++)e=n[t],clearInterval(this.limiters[e]._store.heartbeat);return this.limiters={},this.terminated=!0,i?this.Promise.all([this.client.quit(),this.subscriber.quit()]):(this.client.disconnect(),this.subscriber.disconnect(),this.Promise.resolve())}}return IORedisConnection.prototype.datastore="ioredis",IORedisConnection.prototype.defaults={Redis:null,clientOptions:{},clusterNodes:null,client:null,Promise,Events:null},IORedisConnection}.call(void 0);module.exports=IORedisConnection});var Pe=m((dr,Oe)=>{"use strict";function G(i,t){return Pt(i)||Ot(i,t)||qt()}function qt(){throw new TypeError("Invalid attempt to destructure non-iterable instance")}function Ot(i,t){var e=[],r=!0,n=!1,s=void 0;try{for(var o=i[Symbol.iterator](),a;!(r=(a=o.next()).done)&&(e.push(a.value),!(t&&e.length===t));r=!0);}catch(l){n=!0,s=l}finally{try{!r&&o.return!=null&&o.return()}finally{if(n)throw s}}return e}function Pt(i){if(Array.isArray(i))return i}function Se(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function x(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){Se(s,r,n,o,a,"next",l)}function a(l){Se(s,r,n,o,a,"throw",l)}o(void 0)})}}var Ie,Te,Ce,qe,F;F=S();Ie=T();Ce=L();Te=D();qe=class{constructor(t,e,r){this.instance=t,this.storeOptions=e,this.originalId=this.instance.id,this.clientId=this.instance._randomIndex(),F.load(r,r,this),this.clients={},this.capacityPriorityCounters={},this.sharedConnection=this.connection!=null,this.connection==null&&(this.connection=this.instance.datastore==="redis"?new Ce({Redis:this.Redis,clientOptions:this.clientOptions,Promise:this.Promise,Events:this.instance.Events}):this.instance.datastore==="ioredis"?new Te({Redis:this.Redis,clientOptions:this.clientOptions,clusterNodes:this.clusterNodes,Promise:this.Promise,Events:this.instance.Events}):void 0),this.instance.connection=this.connection,this.instance.datastore=this.connection.datastore,this.ready=this.connection.ready.then(n=>(this.clients=n,this.runScript("init",this.prepareInitSettings(this.clearDatastore)))).then(()=>this.connection.__addLimiter__(this.instance)).then(()=>this.runScript("register_client",[this.instance.queued()])).then(()=>{var n;return typeof(n=this.heartbeat=setInterval(()=>this.runScript("heartbeat",[]).catch(s=>this.instance.Events.trigger("error",s)),this.heartbeatInterval)).unref=="function"&&n.unref(),this.clients})}__publish__(t){var e=this;return x(function*(){var r,n=yield e.ready;return r=n.client,r.publish(e.instance.channel(),`message:${t.toString()}`)})()}onMessage(t,e){var r=this;return x(function*(){var n,s,o,a,l,u,c,h,p,d;try{c=e.indexOf(":");var w=[e.slice(0,c),e.slice(c+1)];if(d=w[0],o=w[1],d==="capacity")return yield r.instance._drainAll(o.length>0?~~o:void 0);if(d==="capacity-priority"){var E=o.split(":"),g=G(E,3);return p=g[0],h=g[1],s=g[2],n=p.length>0?~~p:void 0,h===r.clientId?(a=yield r.instance._drainAll(n),u=n!=null?n-(a||0):"",yield r.clients.client.publish(r.instance.channel(),`capacity-priority:${u}::${s}`)):h===""?(clearTimeout(r.capacityPriorityCounters[s]),delete r.capacityPriorityCounters[s],r.instance._drainAll(n)):r.capacityPriorityCounters[s]=setTimeout(x(function*(){var v;try{return delete r.capacityPriorityCounters[s],yield r.runScript("blacklist_client",[h]),yield r.instance._drainAll(n)}catch(k){return v=k,r.instance.Events.trigger("error",v)}}),1e3)}else{if(d==="message")return r.instance.Events.trigger("message",o);if(d==="blocked")return yield r.instance._dropAllQueued()}}catch(v){return l=v,r.instance.Events.trigger("error",l)}})()}__disconnect__(t){return clearInterval(this.heartbeat),this.sharedConnection?this.connection.__removeLimiter__(this.instance):this.connection.disconnect(t)}runScript(t,e){var r=this;return x(function*(){return t==="init"||t==="register_client"||(yield r.ready),new r.Promise((n,s)=>{var o,a;return o=[Date.now(),r.clientId].concat(e),r.instance.Events.trigger("debug",`Calling Redis script: ${t}.lua`,o),a=r.connection.__scriptArgs__(t,r.originalId,o,function(l,u){return l!=null?s(l):n(u)}),r.connection.__scriptFn__(t)(...a)}).catch(n=>n.message==="SETTINGS_KEY_NOT_FOUND"?t==="heartbeat"?r.Promise.resolve():r.runScript("init",r.prepareInitSettings(!1)).then(()=>r.runScript(t,e)):n.message==="UNKNOWN_CLIENT"?r.runScript("register_client",[r.instance.queued()]).then(()=>r.runScript(t,e)):r.Promise.reject(n))})()}prepareArray(t){var e,r,n,s;for(n=[],e=0,r=t.length;e<r;e++)s=t[e],n.push(s!=null?s.toString():"");return n}prepareObject(t){var e,r,n;e=[];for(r in t)n=t[r],e.push(r,n!=null?n.toString():"");return e}prepareInitSettings(t){var e;return e=this.prepareObject(Object.assign({},this.storeOptions,{id:this.originalId,version:this.instance.version,groupTimeout:this.timeout,clientTimeout:this.clientTimeout})),e.unshift(t?1:0,this.instance.version),e}convertBool(t){return!!t}__updateSettings__(t){var e=this;return x(function*(){return yield e.runScript("update_settings",e.prepareObject(t)),F.overwrite(t,t,e.storeOptions)})()}__running__(){return this.runScript("running",[])}__queued__(){return this.runScript("queued",[])}__done__(){return this.runScript("done",[])}__groupCheck__(){var t=this;return x(function*(){return t.convertBool(yield t.runScript("group_check",[]))})()}__incrementReservoir__(t){return this.runScript("increment_reservoir",[t])}__currentReservoir__(){return this.runScript("current_reservoir",[])}__check__(t){var e=this;return x(function*(){return e.convertBool(yield e.runScript("check",e.prepareArray([t])))})()}__register__(t,e,r){var n=this;return x(function*(){var s,o,a,l=yield n.runScript("register",n.prepareArray([t,e,r])),u=G(l,3);return o=u[0],a=u[1],s=u[2],{success:n.convertBool(o),wait:a,reservoir:s}})()}__submit__(t,e){var r=this;return x(function*(){var n,s,o,a,l,u;try{var c=yield r.runScript("submit",r.prepareArray([t,e])),h=G(c,3);return l=h[0],n=h[1],u=h[2],{reachedHWM:r.convertBool(l),blocked:r.convertBool(n),strategy:u}}catch(w){if(s=w,s.message.indexOf("OVERWEIGHT")===0){var p=s.message.split(":"),d=G(p,3);throw a=d[0],e=d[1],o=d[2],new Ie(`Impossible to add a job having a weight of ${e} to a limiter having a maxConcurrent setting of ${o}`)}else throw s}})()}__free__(t,e){var r=this;return x(function*(){var n;return n=yield r.runScript("free",r.prepareArray([t])),{running:n}})()}};Oe.exports=qe});var Ge=m((pr,De)=>{"use strict";var Ae,Le;Ae=T();Le=class{constructor(t){this.status=t,this._jobs={},this.counts=this.status.map(function(){return 0})}next(t){var e,r;if(e=this._jobs[t],r=e+1,e!=null&&r<this.status.length)return this.counts[e]--,this.counts[r]++,this._jobs[t]++;if(e!=null)return this.counts[e]--,delete this._jobs[t]}start(t){var e;return e=0,this._jobs[t]=e,this.counts[e]++}remove(t){var e;return e=this._jobs[t],e!=null&&(this.counts[e]--,delete this._jobs[t]),e!=null}jobStatus(t){var e;return(e=this.status[this._jobs[t]])!=null?e:null}statusJobs(t){var e,r,n,s,o;if(t!=null){if(r=this.status.indexOf(t),r<0)throw new Ae(`status must be one of ${this.status.join(", ")}`);n=this._jobs,s=[];for(e in n)o=n[e],o===r&&s.push(e);return s}else return Object.keys(this._jobs)}statusCounts(){return this.counts.reduce((t,e,r)=>(t[this.status[r]]=e,t),{})}};De.exports=Le});var Be=m((vr,Ke)=>{"use strict";function Ne(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function Me(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){Ne(s,r,n,o,a,"next",l)}function a(l){Ne(s,r,n,o,a,"throw",l)}o(void 0)})}}var $e,je;$e=K();je=class{constructor(t,e){this.schedule=this.schedule.bind(this),this.name=t,this.Promise=e,this._running=0,this._queue=new $e}isEmpty(){return this._queue.length===0}_tryToRun(){var t=this;return Me(function*(){var e,r,n,s,o,a,l;if(t._running<1&&t._queue.length>0){t._running++;var u=t._queue.shift();return l=u.task,e=u.args,o=u.resolve,s=u.reject,r=yield Me(function*(){try{return a=yield l(...e),function(){return o(a)}}catch(c){return n=c,function(){return s(n)}}})(),t._running--,t._tryToRun(),r()}})()}schedule(t,...e){var r,n,s;return s=n=null,r=new this.Promise(function(o,a){return s=o,n=a}),this._queue.push({task:t,args:e,resolve:s,reject:n}),this._tryToRun(),r}};Ke.exports=je});var ze=m((mr,At)=>{At.exports={version:"2.19.5"}});var Je=m((yr,Qe)=>{"use strict";function Lt(i,t){return Nt(i)||Gt(i,t)||Dt()}function Dt(){throw new TypeError("Invalid attempt to destructure non-iterable instance")}function Gt(i,t){var e=[],r=!0,n=!1,s=void 0;try{for(var o=i[Symbol.iterator](),a;!(r=(a=o.next()).done)&&(e.push(a.value),!(t&&e.length===t));r=!0);}catch(l){n=!0,s=l}finally{try{!r&&o.return!=null&&o.return()}finally{if(n)throw s}}return e}function Nt(i){if(Array.isArray(i))return i}function Fe(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function W(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){Fe(s,r,n,o,a,"next",l)}function a(l){Fe(s,r,n,o,a,"throw",l)}o(void 0)})}}var We,Ve,He,Ue,Ye,N;N=S();We=I();Ue=L();He=D();Ye=A();Ve=function(){class i{constructor(e={}){this.deleteKey=this.deleteKey.bind(this),this.limiterOptions=e,N.load(this.limiterOptions,this.defaults,this),this.Events=new We(this),this.instances={},this.Bottleneck=V(),this._startAutoCleanup(),this.sharedConnection=this.connection!=null,this.connection==null&&(this.limiterOptions.datastore==="redis"?this.connection=new Ue(Object.assign({},this.limiterOptions,{Events:this.Events})):this.limiterOptions.datastore==="ioredis"&&(this.connection=new He(Object.assign({},this.limiterOptions,{Events:this.Events}))))}key(e=""){var r;return(r=this.instances[e])!=null?r:(()=>{var n;return n=this.instances[e]=new this.Bottleneck(Object.assign(this.limiterOptions,{id:`${this.id}-${e}`,timeout:this.timeout,connection:this.connection})),this.Events.trigger("created",n,e),n})()}deleteKey(e=""){var r=this;return W(function*(){var n,s;return s=r.instances[e],r.connection&&(n=yield r.connection.__runCommand__(["del",...Ye.allKeys(`${r.id}-${e}`)])),s!=null&&(delete r.instances[e],yield s.disconnect()),s!=null||n>0})()}limiters(){var e,r,n,s;r=this.instances,n=[];for(e in r)s=r[e],n.push({key:e,limiter:s});return n}keys(){return Object.keys(this.instances)}clusterKeys(){var e=this;return W(function*(){var r,n,s,o,a,l,u,c,h;if(e.connection==null)return e.Promise.resolve(e.keys());for(l=[],r=null,h=`b_${e.id}-`.length,n=9;r!==0;){var p=yield e.connection.__runCommand__(["scan",r??0,"match",`b_${e.id}-*_settings`,"count",1e4]),d=Lt(p,2);for(c=d[0],s=d[1],r=~~c,o=0,u=s.length;o<u;o++)a=s[o],l.push(a.slice(h,-n))}return l})()}_startAutoCleanup(){var e=this,r;return clearInterval(this.interval),typeof(r=this.interval=setInterval(W(function*(){var n,s,o,a,l,u;l=Date.now(),o=e.instances,a=[];for(s in o){u=o[s];try{(yield u._store.__groupCheck__(l))?a.push(e.deleteKey(s)):a.push(void 0)}catch(c){n=c,a.push(u.Events.trigger("error",n))}}return a}),this.timeout/2)).unref=="function"?r.unref():void 0}updateSettings(e={}){if(N.overwrite(e,this.defaults,this),N.overwrite(e,e,this.limiterOptions),e.timeout!=null)return this._startAutoCleanup()}disconnect(e=!0){var r;if(!this.sharedConnection)return(r=this.connection)!=null?r.disconnect(e):void 0}}return i.prototype.defaults={timeout:1e3*60*5,connection:null,Promise,id:"group-key"},i}.call(void 0);Qe.exports=Ve});var rt=m((gr,tt)=>{"use strict";var Xe,Ze,et;et=S();Ze=I();Xe=function(){class i{constructor(e={}){this.options=e,et.load(this.options,this.defaults,this),this.Events=new Ze(this),this._arr=[],this._resetPromise(),this._lastFlush=Date.now()}_resetPromise(){return this._promise=new this.Promise((e,r)=>this._resolve=e)}_flush(){return clearTimeout(this._timeout),this._lastFlush=Date.now(),this._resolve(),this.Events.trigger("batch",this._arr),this._arr=[],this._resetPromise()}add(e){var r;return this._arr.push(e),r=this._promise,this._arr.length===this.maxSize?this._flush():this.maxTime!=null&&this._arr.length===1&&(this._timeout=setTimeout(()=>this._flush(),this.maxTime)),r}}return i.prototype.defaults={maxTime:null,maxSize:null,Promise},i}.call(void 0);tt.exports=Xe});var V=m((br,pt)=>{"use strict";function nt(i,t){return at(i)||Mt(i,t)||ot()}function Mt(i,t){var e=[],r=!0,n=!1,s=void 0;try{for(var o=i[Symbol.iterator](),a;!(r=(a=o.next()).done)&&(e.push(a.value),!(t&&e.length===t));r=!0);}catch(l){n=!0,s=l}finally{try{!r&&o.return!=null&&o.return()}finally{if(n)throw s}}return e}function M(i){return at(i)||$t(i)||ot()}function ot(){throw new TypeError("Invalid attempt to destructure non-iterable instance")}function $t(i){if(Symbol.iterator in Object(i)||Object.prototype.toString.call(i)==="[object Arguments]")return Array.from(i)}function at(i){if(Array.isArray(i))return i}function it(i,t,e,r,n,s,o){try{var a=i[s](o),l=a.value}catch(u){e(u);return}a.done?t(l):Promise.resolve(l).then(r,n)}function H(i){return function(){var t=this,e=arguments;return new Promise(function(r,n){var s=i.apply(t,e);function o(l){it(s,r,n,o,a,"next",l)}function a(l){it(s,r,n,o,a,"throw",l)}o(void 0)})}}var lt,ut,U,Y,ct,Q,ht,dt,_t,J,R,st=[].splice;Q=10;ut=5;R=S();ht=ce();Y=ge();ct=Re();dt=Pe();U=I();_t=Ge();J=Be();lt=function(){class i{constructor(e={},...r){var n,s;this._addToQueue=this._addToQueue.bind(this),this._validateOptions(e,r),R.load(e,this.instanceDefaults,this),this._queues=new ht(Q),this._scheduled={},this._states=new _t(["RECEIVED","QUEUED","RUNNING","EXECUTING"].concat(this.trackDoneStatus?["DONE"]:[])),this._limiter=null,this.Events=new U(this),this._submitLock=new J("submit",this.Promise),this._registerLock=new J("register",this.Promise),s=R.load(e,this.storeDefaults,{}),this._store=function(){if(this.datastore==="redis"||this.datastore==="ioredis"||this.connection!=null)return n=R.load(e,this.redisStoreDefaults,{}),new dt(this,s,n);if(this.datastore==="local")return n=R.load(e,this.localStoreDefaults,{}),new ct(this,s,n);throw new i.prototype.BottleneckError(`Invalid datastore type: ${this.datastore}`)}.call(this),this._queues.on("leftzero",()=>{var o;return(o=this._store.heartbeat)!=null&&typeof o.ref=="function"?o.ref():void 0}),this._queues.on("zero",()=>{var o;return(o=this._store.heartbeat)!=null&&typeof o.unref=="function"?o.unref():void 0})}_validateOptions(e,r){if(!(e!=null&&typeof e=="object"&&r.length===0))throw new i.prototype.BottleneckError("Bottleneck v2 takes a single object argument. Refer to https://github.com/SGrondin/bottleneck#upgrading-to-v2 if you're upgrading from Bottleneck v1.")}ready(){return this._store.ready}clients(){return this._store.clients}channel(){return`b_${this.id}`}channel_client(){return`b_${this.id}_${this._store.clientId}`}publish(e){return this._store.__publish__(e)}disconnect(e=!0){return this._store.__disconnect__(e)}chain(e){return this._limiter=e,this}queued(e){return this._queues.queued(e)}clusterQueued(){return this._store.__queued__()}empty(){return this.queued()===0&&this._submitLock.isEmpty()}running(){return this._store.__running__()}done(){return this._store.__done__()}jobStatus(e){return this._states.jobStatus(e)}jobs(e){return this._states.statusJobs(e)}counts(){return this._states.statusCounts()}_randomIndex(){return Math.random().toString(36).slice(2)}check(e=1){return this._store.__check__(e)}_clearGlobalState(e){return this._scheduled[e]!=null?(clearTimeout(this._scheduled[e].expiration),delete this._scheduled[e],!0):!1}_free(e,r,n,s){var o=this;return H(function*(){var a,l;try{var u=yield o._store.__free__(e,n.weight);if(l=u.running,o.Events.trigger("debug",`Freed ${n.id}`,s),l===0&&o.empty())return o.Events.trigger("idle")}catch(c){return a=c,o.Events.trigger("error",a)}})()}_run(e,r,n){var s,o,a;return r.doRun(),s=this._clearGlobalState.bind(this,e),a=this._run.bind(this,e,r),o=this._free.bind(this,e,r),this._scheduled[e]={timeout:setTimeout(()=>r.doExecute(this._limiter,s,a,o),n),expiration:r.options.expiration!=null?setTimeout(function(){return r.doExpire(s,a,o)},n+r.options.expiration):void 0,job:r}}_drainOne(e){return this._registerLock.schedule(()=>{var r,n,s,o,a;if(this.queued()===0)return this.Promise.resolve(null);a=this._queues.getFirst();var l=s=a.first();return o=l.options,r=l.args,e!=null&&o.weight>e?this.Promise.resolve(null):(this.Events.trigger("debug",`Draining ${o.id}`,{args:r,options:o}),n=this._randomIndex(),this._store.__register__(n,o.weight,o.expiration).then(({success:u,wait:c,reservoir:h})=>{var p;return this.Events.trigger("debug",`Drained ${o.id}`,{success:u,args:r,options:o}),u?(a.shift(),p=this.empty(),p&&this.Events.trigger("empty"),h===0&&this.Events.trigger("depleted",p),this._run(n,s,c),this.Promise.resolve(o.weight)):this.Promise.resolve(null)}))})}_drainAll(e,r=0){return this._drainOne(e).then(n=>{var s;return n!=null?(s=e!=null?e-n:e,this._drainAll(s,r+n)):this.Promise.resolve(r)}).catch(n=>this.Events.trigger("error",n))}_dropAllQueued(e){return this._queues.shiftAll(function(r){return r.doDrop({message:e})})}stop(e={}){var r,n;return e=R.load(e,this.stopDefaults),n=s=>{var o;return o=()=>{var a;return a=this._states.counts,a[0]+a[1]+a[2]+a[3]===s},new this.Promise((a,l)=>o()?a():this.on("done",()=>{if(o())return this.removeAllListeners("done"),a()}))},r=e.dropWaitingJobs?(this._run=function(s,o){return o.doDrop({message:e.dropErrorMessage})},this._drainOne=()=>this.Promise.resolve(null),this._registerLock.schedule(()=>this._submitLock.schedule(()=>{var s,o,a;o=this._scheduled;for(s in o)a=o[s],this.jobStatus(a.job.options.id)==="RUNNING"&&(clearTimeout(a.timeout),clearTimeout(a.expiration),a.job.doDrop({message:e.dropErrorMessage}));return this._dropAllQueued(e.dropErrorMessage),n(0)}))):this.schedule({priority:Q-1,weight:0},()=>n(1)),this._receive=function(s){return s._reject(new i.prototype.BottleneckError(e.enqueueErrorMessage))},this.stop=()=>this.Promise.reject(new i.prototype.BottleneckError("stop() has already been called")),r}_addToQueue(e){var r=this;return H(function*(){var n,s,o,a,l,u,c;n=e.args,a=e.options;try{var h=yield r._store.__submit__(r.queued(),a.weight);l=h.reachedHWM,s=h.blocked,c=h.strategy}catch(p){return o=p,r.Events.trigger("debug",`Could not queue ${a.id}`,{args:n,options:a,error:o}),e.doDrop({error:o}),!1}return s?(e.doDrop(),!0):l&&(u=c===i.prototype.strategy.LEAK?r._queues.shiftLastFrom(a.priority):c===i.prototype.strategy.OVERFLOW_PRIORITY?r._queues.shiftLastFrom(a.priority+1):c===i.prototype.strategy.OVERFLOW?e:void 0,u?.doDrop(),u==null||c===i.prototype.strategy.OVERFLOW)?(u==null&&e.doDrop(),l):(e.doQueue(l,s),r._queues.push(e),yield r._drainAll(),l)})()}_receive(e){return this._states.jobStatus(e.options.id)!=null?(e._reject(new i.prototype.BottleneckError(`A job with the same id already exists (id=${e.options.id})`)),!1):(e.doReceive(),this._submitLock.schedule(this._addToQueue,e))}submit(...e){var r,n,s,o,a,l,u;if(typeof e[0]=="function"){var c,h,p,d;a=e,c=a,h=M(c),n=h[0],e=h.slice(1),p=st.call(e,-1),d=nt(p,1),r=d[0],o=R.load({},this.jobDefaults)}else{var w,E,g,v;l=e,w=l,E=M(w),o=E[0],n=E[1],e=E.slice(2),g=st.call(e,-1),v=nt(g,1),r=v[0],o=R.load(o,this.jobDefaults)}return u=(...k)=>new this.Promise(function($,yt){return n(...k,function(...X){return(X[0]!=null?yt:$)(X)})}),s=new Y(u,e,o,this.jobDefaults,this.rejectOnDrop,this.Events,this._states,this.Promise),s.promise.then(function(k){return typeof r=="function"?r(...k):void 0}).catch(function(k){return Array.isArray(k)?typeof r=="function"?r(...k):void 0:typeof r=="function"?r(k):void 0}),this._receive(s)}schedule(...e){var r,n,s;if(typeof e[0]=="function"){var o=e,a=M(o);s=a[0],e=a.slice(1),n={}}else{var l=e,u=M(l);n=u[0],s=u[1],e=u.slice(2)}return r=new Y(s,e,n,this.jobDefaults,this.rejectOnDrop,this.Events,this._states,this.Promise),this._receive(r),r.promise}wrap(e){var r,n;return r=this.schedule.bind(this),n=function(...o){return r(e.bind(this),...o)},n.withOptions=function(s,...o){return r(s,e,...o)},n}updateSettings(e={}){var r=this;return H(function*(){return yield r._store.__updateSettings__(R.overwrite(e,r.storeDefaults)),R.overwrite(e,r.instanceDefaults,r),r})()}currentReservoir(){return this._store.__currentReservoir__()}incrementReservoir(e=0){return this._store.__incrementReservoir__(e)}}return i.default=i,i.Events=U,i.version=i.prototype.version=ze().version,i.strategy=i.prototype.strategy={LEAK:1,OVERFLOW:2,OVERFLOW_PRIORITY:4,BLOCK:3},i.BottleneckError=i.prototype.BottleneckError=T(),i.Group=i.prototype.Group=Je(),i.RedisConnection=i.prototype.RedisConnection=L(),i.IORedisConnection=i.prototype.IORedisConnection=D(),i.Batcher=i.prototype.Batcher=rt(),i.prototype.jobDefaults={priority:ut,weight:1,expiration:null,id:"<no-id>"},i.prototype.storeDefaults={maxConcurrent:null,minTime:0,highWater:null,strategy:i.prototype.strategy.LEAK,penalty:null,reservoir:null,reservoirRefreshInterval:null,reservoirRefreshAmount:null,reservoirIncreaseInterval:null,reservoirIncreaseAmount:null,reservoirIncreaseMaximum:null},i.prototype.localStoreDefaults={Promise,timeout:null,heartbeatInterval:250},i.prototype.redisStoreDefaults={Promise,timeout:null,heartbeatInterval:5e3,clientTimeout:1e4,Redis:null,clientOptions:{},clusterNodes:null,clearDatastore:!1,connection:null},i.prototype.instanceDefaults={datastore:"local",connection:null,id:"<no-id>",rejectOnDrop:!0,trackDoneStatus:!1,Promise},i.prototype.stopDefaults={enqueueErrorMessage:"This limiter has been stopped and cannot accept new jobs.",dropWaitingJobs:!0,dropErrorMessage:"This limiter has been stopped."},i}.call(void 0);pt.exports=lt});var vt=m((kr,ft)=>{"use strict";ft.exports=V()});var bt=process.getBuiltinModule("node:crypto");var{createHash:Bt,randomUUID:zt,timingSafeEqual:Ft,createHmac:Wt}=bt;function Ht(i){return{passed:i.passed,reason:i.reason,jobs:i.jobs.map(t=>({jobId:t.jobId,outcome:t.outcome,status:t.status,checkFlag:t.checkFlag,briefMsg:t.briefMsg,stepInfo:t.stepInfo,requestId:t.requestId,polls:t.polls,requests:t.requests,elapsedMs:t.elapsedMs,warnings:t.warnings,created:t.created,started:t.started,...t.error?{error:t.error}:{}}))}}var kt={red:31,green:32,yellow:33,dim:2,bold:1};function C(i,t,e){return i.color?`\x1B[${kt[t]}m${e}\x1B[0m`:e}function y(i){return(i??"").replace(/\r\n?|[\n\u2028\u2029]/g," ").replace(/[\u0000-\u001f\u007f-\u009f]/g,"")}var wt={pass:{label:"PASSED",color:"green"},notPass:{label:"NOT PASSED",color:"red"},failed:{label:"CHECK FAILED",color:"red"},timeout:{label:"TIMED OUT",color:"yellow"},error:{label:"ERROR",color:"red"}},xt={pass:"\u2713",failed:"\u2717",warning:"!",skipped:"\u21B7",notStarted:"\xB7",blocked:"\u25A0"};function Rt(i){let t=i.StepStatus??"unknown",e=i.HasSkipped&&t!=="pass"?"skipped":t;return{no:i.StepNo===null?"?":String(i.StepNo),name:y(i.StepName??i.StepId??"step"),status:e,symbol:xt[e]??"?"}}function Et(i){let t=[];for(let e of i??[])for(let r of e.DetailCheckItems??[])(r.CheckResult==="failed"||r.CheckResult==="warning")&&t.push({step:y(e.StepName??e.StepId),skipped:e.HasSkipped===!0,item:r});return t}function St(i){return(i.HelpDoc??[]).map(y).filter(t=>t.trim()!=="")}function Z(i,t){return`${i} ${t}${i===1?"":"s"}`}function It(i){return`${(i/1e3).toFixed(1)} s`}function Tt(i,t){let{label:e,color:r}=wt[i.outcome],n=[i.status===null?"status \u2014":`status ${y(i.status)}`,i.checkFlag?y(i.checkFlag):void 0,Z(i.polls,"poll"),It(i.elapsedMs)].filter(Boolean),s=[`${C(t,"bold",i.jobId)}  ${C(t,r,e)}  ${C(t,"dim",n.join(" \xB7 "))}`];i.briefMsg&&s.push(`  ${y(i.briefMsg)}`),i.error&&s.push(`  error: ${y(i.error.code)}: ${y(i.error.message)}`),i.created&&s.push(`  check created (RequestId ${y(i.created.requestId)})`);for(let a of i.notes)s.push(`  note: ${y(a)}`);let o=i.stepInfo??[];if(o.length>0){let a=o.map(Rt),l=Math.max(...a.map(u=>u.name.length));for(let u of a){let c=u.status==="pass"?"green":u.status==="failed"?"red":u.status==="notStarted"?"dim":"yellow";s.push(`  ${u.no.padStart(2)}  ${u.name.padEnd(l)}  ${C(t,c,`${u.symbol} ${u.status}`)}`)}}for(let{step:a,skipped:l,item:u}of Et(o)){let c=l?"skipped":y(u.CheckResult),h=y(u.CheckItemName??a),p=h===a?"":` (${a})`;s.push(`  ${u.CheckResult==="failed"&&!l?"\u2717":"!"} ${h}${p}: ${c}`),u.FailureReason&&s.push(`      reason:   ${y(u.FailureReason)}`),u.Solution&&s.push(`      solution: ${y(u.Solution)}`);for(let d of u.ErrorLog??[])d.trim()&&s.push(`      log:      ${y(d)}`);for(let d of St(u))s.push(`      help:     ${d}`)}return i.warnings.length>0&&i.outcome==="pass"&&s.push(`  ${Z(i.warnings.length,"warning")}: ${i.warnings.map(a=>y(a.itemName)).join(", ")}`),i.started&&s.push(`  migration started (RequestId ${y(i.started.requestId)})`),s}function Ut(i,t){let e=i.jobs.map(n=>Tt(n,t).join(`
`)),r=C(t,i.passed?"green":"red",i.reason);return`${e.join(`

`)}

${r}
`}var mt=gt(vt(),1),jt=20;function wr(i){let t=i.windowMs??1e3,e=t+(i.marginMs??30),r=Math.max(1,Math.floor(i.rate)),n=Math.ceil(r/jt),s=new mt.default({reservoir:r,minTime:Math.floor(t*n/r),maxConcurrent:null});Kt(s);let o=[],a=0,l=!1,u=[],c,h=!1,p=()=>{let g=Date.now(),v=0;for(;v<u.length&&(u[v]??0)<=g;)v++;v!==0&&(u.splice(0,v),s.incrementReservoir(v))},d=()=>{if(c!==void 0||!l||h)return;let g=n-(r-a-u.length),v=g>0?u[g-1]:void 0;v!==void 0&&(c=setTimeout(()=>{c=void 0,p(),d()},Math.max(0,v-Date.now())))},w=()=>{l||h||(l=!0,p(),s.schedule({weight:n},()=>Promise.resolve()).then(()=>{l=!1,clearTimeout(c),c=void 0,!h&&(a+=n,E())},()=>{l=!1}),d())},E=()=>{for(;!h&&o.length>0;){if(a===0){w();return}a--,u.push(Date.now()+e),o.shift()?.start()}};return{schedule(g){return h?Promise.reject(new Error("the limiter has been stopped")):new Promise((v,k)=>{o.push({start(){try{v(g())}catch($){k($)}},reject:k}),E()})},async stop(){h=!0,clearTimeout(c),u.length=0;for(let g of o.splice(0))g.reject(new Error("the limiter has been stopped"));await s.stop({dropWaitingJobs:!0})}}}function Kt(i){let t=i._store;t&&typeof t.yieldLoop=="function"&&(t.yieldLoop=()=>Promise.resolve())}export{Bt as a,zt as b,Ft as c,Wt as d,Ht as e,C as f,y as g,wt as h,Z as i,Ut as j,vt as k,wr as l};
