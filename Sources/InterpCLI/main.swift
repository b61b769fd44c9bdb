print("interp")
